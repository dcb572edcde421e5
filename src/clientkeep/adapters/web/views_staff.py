"""Staff accounts on the web, for the administrator."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.shared.errors import DomainError, InvalidInput
from clientkeep.staff import services as staff_services
from clientkeep.staff.model import StaffMember

router = APIRouter(prefix="/staff")


def _page(
    request: Request, staff: SignedInStaff, *, status: int = 200, **extra: object
) -> Response:
    c = request.app.state.container
    members = staff_services.list_staff(uow=c.uow(), actor=staff.actor, policy=c.policy)
    context = {
        "members": members,
        "roles": list(c.policy.roles),
        "now": c.clock.now(),
        "errors": {},
        "form": {},
        "message": _staff_notice(request, members),
    }
    context.update(extra)
    return render(request, "staff/list.html", context, status=status)


# Shown as "Done: <notice>." by the templates.
_NOTICES = {"added": "added {name}", "disabled": "disabled {name}; their sessions and tokens ended"}


def _staff_notice(request: Request, members: list[StaffMember]) -> str | None:
    """The notice after a change, written by the app: the address carries only a code and a
    staff id, and the name shown is the one on record, so nobody can write the notice."""
    template = _NOTICES.get(request.query_params.get("done", ""))
    who = request.query_params.get("who")
    member = next((m for m in members if m.id == who), None)
    return None if template is None or member is None else template.format(name=member.username)


@router.get("")
def list_staff(request: Request, staff: StaffDep) -> Response:
    return _page(request, staff)


@router.post("")
def add_staff(
    request: Request,
    staff: StaffDep,
    username: Annotated[str, Form(max_length=256)] = "",
    display_name: Annotated[str, Form(max_length=256)] = "",
    role: Annotated[str, Form(max_length=64)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = request.app.state.container
    try:
        member = staff_services.add_staff(
            staff_services.AddStaff(
                username=username, role=role, password=password, display_name=display_name or None
            ),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
            hasher=c.hasher,
        )
    except InvalidInput as exc:
        return _page(
            request,
            staff,
            status=422,
            errors=dict(exc.errors),
            form={"username": username, "display_name": display_name, "role": role},
        )
    except DomainError as exc:
        return _page(
            request,
            staff,
            status=409,
            errors={exc.field or "form": exc.message},
            form={"username": username, "display_name": display_name, "role": role},
        )
    return RedirectResponse(f"/staff?done=added&who={member.id}", status_code=303)


@router.post("/{username}/disable")
def disable_staff(
    request: Request,
    staff: StaffDep,
    username: str,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = request.app.state.container
    try:
        member = staff_services.disable_staff(
            username, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
        )
    except DomainError as exc:
        return _page(request, staff, status=422, errors={"disable": exc.message})
    return RedirectResponse(f"/staff?done=disabled&who={member.id}", status_code=303)


def _tokens_page(
    request: Request, staff: SignedInStaff, *, status: int = 200, **extra: object
) -> Response:
    c = request.app.state.container
    tokens = staff_services.list_tokens(
        staff.actor.name, uow=c.uow(), actor=staff.actor, policy=c.policy
    )
    context: dict[str, object] = {
        "tokens": tokens,
        "errors": {},
        "message": "token revoked" if request.query_params.get("done") == "revoked" else None,
        **extra,
    }
    return render(request, "staff/tokens.html", context, status=status)


# Any member manages their own API tokens here; nobody makes a token for somebody else.
@router.get("/tokens")
def own_tokens(request: Request, staff: StaffDep) -> Response:
    return _tokens_page(request, staff)


@router.post("/tokens")
def create_token(
    request: Request,
    staff: StaffDep,
    label: Annotated[str, Form(max_length=256)] = "api",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = request.app.state.container
    try:
        new = staff_services.create_token(label, uow=c.uow(), actor=staff.actor, clock=c.clock)
    except InvalidInput as exc:
        return _tokens_page(request, staff, status=422, errors=dict(exc.errors))
    # Shown once, on this no-store page; never stored or shown again.
    return _tokens_page(request, staff, new_token=new.secret)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(
    request: Request,
    staff: StaffDep,
    token_id: str,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = request.app.state.container
    staff_services.revoke_token(
        token_id, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    return RedirectResponse("/staff/tokens?done=revoked", status_code=303)
