"""Changes to one staff account, each behind a confirmation page that names the person and
says what will happen: the link on the staff list only shows it; its POST does the change,
then redirects to the list with a notice code (a reload repeats nothing)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.shared.errors import DomainError, InvalidInput
from clientkeep.staff import accounts, second_factor
from clientkeep.staff import services as staff_services
from clientkeep.staff.directory import directory
from clientkeep.staff.model import StaffMember

router = APIRouter()


@dataclass(frozen=True)
class _Action:
    title: str  # "{name}" is the member's name and role, as the directory writes it
    consequence: str
    button: str
    notice: str  # the code views_staff turns into "Done: ..."
    run: Callable[..., StaffMember]
    asks_password: bool = False


_ACTIONS = {
    "disable": _Action(
        "Disable {name}?",
        "They can no longer sign in. Their web sessions end and every API token they hold is "
        "revoked now.",
        "Disable the account",
        "disabled",
        staff_services.disable_staff,
    ),
    "enable": _Action(
        "Enable {name}?",
        "They can sign in again with their password. Tokens revoked when the account was "
        "disabled stay revoked.",
        "Enable the account",
        "enabled",
        accounts.enable_staff,
    ),
    "unlock": _Action(
        "Unlock {name}?",
        "The lock after repeated failed sign-ins is lifted now, and the count of failures "
        "starts again from nothing.",
        "Unlock the account",
        "unlocked",
        accounts.unlock_staff,
    ),
    "reset-password": _Action(
        "Reset the password of {name}?",
        "They sign in with the temporary password you give here, and must then choose their "
        "own before they can do anything else. Their web sessions end now; their API tokens "
        "stay valid (revoke them below the staff list if they should not).",
        "Reset the password",
        "password_reset",
        accounts.reset_password,
        asks_password=True,
    ),
    "reset-second-factor": _Action(
        "Reset the second factor of {name}?",
        "Their authenticator app and recovery codes stop working, and their web sessions end "
        "now. They sign in next with their password alone, or, where their role requires a "
        "second factor, are taken to set up a new one. Their API tokens stay valid.",
        "Reset the second factor",
        "second_factor_reset",
        second_factor.reset,
    ),
}


def _member(request: Request, staff: SignedInStaff, username: str) -> StaffMember:
    c = request.app.state.container
    return accounts.member_to_change(username, uow=c.uow(), actor=staff.actor, policy=c.policy)


def _confirm_page(
    request: Request,
    staff: SignedInStaff,
    username: str,
    template: str,
    *,
    status: int = 200,
    **context: Any,
) -> Response:
    member = _member(request, staff, username)
    uow = request.app.state.container.uow()
    with uow.reading():
        name = directory(uow.staff).label(member.id)
    full = {"member": member, "name": name, "errors": {}}
    full.update(context)
    return render(request, template, full, status=status)


def _done(code: str, member: StaffMember) -> Response:
    return RedirectResponse(f"/staff?done={code}&who={member.id}", status_code=303)


def _problem(exc: DomainError) -> dict[str, str]:
    if isinstance(exc, InvalidInput):
        return dict(exc.errors)
    return {exc.field or "form": exc.message}


@router.get("/{username}/role")
def confirm_role(request: Request, staff: StaffDep, username: str, role: str = "") -> Response:
    """Choose a role (a GET form, which changes nothing), then confirm the change it names."""
    c = request.app.state.container
    errors: dict[str, str] = {}
    chosen = None
    if role:
        try:
            chosen = accounts.check_role(role, c.policy)
        except InvalidInput as exc:
            errors = dict(exc.errors)
    return _confirm_page(
        request,
        staff,
        username,
        "staff/confirm_role.html",
        status=422 if errors else 200,
        roles=list(c.policy.roles),
        chosen=chosen,
        errors=errors,
    )


@router.post("/{username}/role")
def change_role(
    request: Request,
    staff: StaffDep,
    username: str,
    role: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = request.app.state.container
    try:
        member = accounts.set_role(
            username, role, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
        )
    except DomainError as exc:
        return _confirm_page(
            request,
            staff,
            username,
            "staff/confirm_role.html",
            status=422,
            roles=list(c.policy.roles),
            chosen=None,
            errors=_problem(exc),
        )
    return _done("role_changed", member)


@router.get("/{username}/{action}")
def confirm(request: Request, staff: StaffDep, username: str, action: str) -> Response:
    found = _ACTIONS.get(action)
    if found is None:
        return render(
            request,
            "error.html",
            {"title": "Not found", "detail": "There is no such page."},
            status=404,
        )
    return _confirm_page(request, staff, username, "staff/confirm.html", action=action, do=found)


@router.post("/{username}/{action}")
def act(
    request: Request,
    staff: StaffDep,
    username: str,
    action: str,
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    found = _ACTIONS.get(action)
    if found is None:
        return render(
            request,
            "error.html",
            {"title": "Not found", "detail": "There is no such page."},
            status=404,
        )
    c = request.app.state.container
    deps: dict[str, Any] = {"uow": c.uow(), "actor": staff.actor, "policy": c.policy}
    try:
        if found.asks_password:
            member = found.run(username, password, clock=c.clock, hasher=c.hasher, **deps)
        else:
            member = found.run(username, clock=c.clock, **deps)
    except DomainError as exc:
        return _confirm_page(
            request,
            staff,
            username,
            "staff/confirm.html",
            status=422,
            action=action,
            do=found,
            errors=_problem(exc),
        )
    return _done(found.notice, member)
