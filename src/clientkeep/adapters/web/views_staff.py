"""Staff accounts on the web, for the administrator: the list, adding a member, and
everyone's API tokens. Changes to one account are in views_staff_accounts, each member's
own tokens in views_staff_tokens; both hang on this router."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web import views_staff_accounts, views_staff_tokens
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.shared.errors import DomainError, InvalidInput
from clientkeep.staff import second_factor
from clientkeep.staff import services as staff_services
from clientkeep.staff.directory import directory
from clientkeep.staff.model import StaffMember

router = APIRouter(prefix="/staff")
# Their fixed paths (/staff/tokens...) before this module's: none is shadowed either way.
router.include_router(views_staff_tokens.router)
router.include_router(views_staff_accounts.router)


def _page(
    request: Request, staff: SignedInStaff, *, status: int = 200, **extra: object
) -> Response:
    c = request.app.state.container
    members = staff_services.list_staff(uow=c.uow(), actor=staff.actor, policy=c.policy)
    tokens = staff_services.list_all_tokens(uow=c.uow(), actor=staff.actor, policy=c.policy)
    with_second_factor = second_factor.members_with_second_factor(
        uow=c.uow(), actor=staff.actor, policy=c.policy
    )
    uow = c.uow()
    with uow.reading():
        people = directory(uow.staff)
    context = {
        "members": members,
        "tokens": tokens,
        "with_second_factor": with_second_factor,
        "requires_second_factor": c.policy.requires_second_factor,
        "owner": people.label,
        "roles": list(c.policy.roles),
        "now": c.clock.now(),
        "errors": {},
        "form": {},
        "message": _staff_notice(request, members),
    }
    context.update(extra)
    return render(request, "staff/list.html", context, status=status)


# Shown as "Done: <notice>." by the templates.
_NOTICES = {
    "added": "added {name}",
    "disabled": "disabled {name}; their sessions and tokens ended",
    "enabled": "enabled {name}; they can sign in again",
    "unlocked": "unlocked {name}",
    "password_reset": "reset the password of {name}; they choose a new one at their next sign-in",
    "role_changed": "changed the role of {name}",
    "token_revoked": "revoked a token of {name}",
    "second_factor_reset": (
        "reset the second factor of {name}; their sessions ended, and they set up a new one "
        "if they want one or their role requires it"
    ),
}


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
