"""Each member's own API tokens on the web, and revoking a token after a confirmation.

A new token is made by a POST that redirects (a reload repeats nothing) and is kept on the
web session for the one page after the redirect, which takes it: never in the address or a
cookie, and never shown twice.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.shared.errors import InvalidInput
from clientkeep.staff import services as staff_services
from clientkeep.staff.directory import directory

router = APIRouter()

# Shown as "Done: <notice>." by the template; the address carries only the code.
_NOTICES = {"created": "token made", "revoked": "token revoked"}


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
        "message": _NOTICES.get(request.query_params.get("done", "")),
        **extra,
    }
    return render(request, "staff/tokens.html", context, status=status)


# Any member manages their own API tokens here; nobody makes a token for somebody else.
@router.get("/tokens")
def own_tokens(request: Request, staff: StaffDep) -> Response:
    c = request.app.state.container
    new_token = staff_services.take_new_token(staff.session, uow=c.uow())
    page = _tokens_page(request, staff, new_token=new_token)
    # The page may hold a secret: no cache keeps it for the back button.
    page.headers["Cache-Control"] = "no-store"
    return page


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
        staff_services.create_token(
            label,
            uow=c.uow(),
            actor=staff.actor,
            clock=c.clock,
            hold_for_session=staff.session.id,
        )
    except InvalidInput as exc:
        return _tokens_page(request, staff, status=422, errors=dict(exc.errors))
    return RedirectResponse("/staff/tokens?done=created", status_code=303)


@router.get("/tokens/{token_id}/revoke")
def confirm_revoke(request: Request, staff: StaffDep, token_id: str) -> Response:
    c = request.app.state.container
    token = staff_services.token_to_revoke(
        token_id, uow=c.uow(), actor=staff.actor, policy=c.policy
    )
    uow = c.uow()
    with uow.reading():
        owner = directory(uow.staff).label(token.staff_id)
    context = {"token": token, "owner": owner, "own": token.staff_id == staff.actor.id}
    return render(request, "staff/confirm_revoke.html", context)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(
    request: Request,
    staff: StaffDep,
    token_id: str,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = request.app.state.container
    token = staff_services.revoke_token(
        token_id, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    if token.staff_id == staff.actor.id:
        return RedirectResponse("/staff/tokens?done=revoked", status_code=303)
    return RedirectResponse(f"/staff?done=token_revoked&who={token.staff_id}", status_code=303)
