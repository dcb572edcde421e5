"""Signing in and out of the web UI. The second step of signing in, and setting up a second
factor, are in views_second_factor, which hangs on this router."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.http.deps import client_source, failed_attempts
from clientkeep.adapters.web import views_second_factor
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import (
    PRESESSION_COOKIE,
    SESSION_COOKIE,
    AnySessionDep,
    ResetStaffDep,
    SignedInStaff,
    any_session,
    check_csrf,
    presession_token,
    read_cookie,
    set_cookie,
)
from clientkeep.adapters.web.views_second_factor import PASSWORD_PAGE, next_page
from clientkeep.shared.errors import AuthenticationFailed, InvalidInput
from clientkeep.staff import accounts, authentication, second_factor
from clientkeep.staff.errors import TooManyFailedAttempts

router = APIRouter()
router.include_router(views_second_factor.router)


def _sign_in_page(request: Request, *, error: str | None = None, status: int = 200) -> Response:
    token = presession_token(request)
    response = render(request, "sign_in.html", {"form_token": token, "error": error}, status=status)
    set_cookie(request, response, PRESESSION_COOKIE, token, "presession")
    return response


@router.get("/sign-in")
def sign_in_form(request: Request) -> Response:
    found = any_session(request)
    if found is not None:
        # Where every page sends a member who must still pass a second step or replace a
        # reset password.
        return RedirectResponse(
            next_page(found.awaiting, found.must_change_password), status_code=303
        )
    return _sign_in_page(request)


@router.post("/sign-in")
def sign_in(
    request: Request,
    username: Annotated[str, Form(max_length=256)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(read_cookie(request, PRESESSION_COOKIE, "presession"), csrf_token)
    container = request.app.state.container
    try:
        signed_in = authentication.sign_in(
            username,
            password,
            uow=container.uow(),
            policy=container.policy,
            clock=container.clock,
            hasher=container.hasher,
            request_id=request.state.request_id,
            source=client_source(request),
            failures=failed_attempts(request),
        )
    except TooManyFailedAttempts as exc:
        page = _sign_in_page(request, error=exc.message, status=429)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    except AuthenticationFailed as exc:
        return _sign_in_page(request, error=exc.message, status=401)
    to = next_page(signed_in.awaiting, signed_in.must_change_password)
    response = RedirectResponse(to, status_code=303)
    set_cookie(request, response, SESSION_COOKIE, signed_in.session.id, "session")
    response.delete_cookie(PRESESSION_COOKIE, path="/")
    return response


@router.post("/sign-out")
def sign_out(
    request: Request, staff: AnySessionDep, csrf_token: Annotated[str | None, Form()] = None
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    container = request.app.state.container
    authentication.sign_out(
        staff.session.id, uow=container.uow(), actor=staff.actor, clock=container.clock
    )
    response = RedirectResponse("/sign-in?signed_out=1", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _password_page(
    request: Request,
    staff: SignedInStaff,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
) -> Response:
    c = request.app.state.container
    context = {
        "second_factor": second_factor.own_status(uow=c.uow(), actor=staff.actor, policy=c.policy),
        "forced": staff.must_change_password,
        "errors": errors or {},
        "changed": request.query_params.get("done") == "changed",
    }
    return render(request, "account/password.html", context, status=status)


@router.get(PASSWORD_PAGE)
def change_password_form(request: Request, staff: ResetStaffDep) -> Response:
    return _password_page(request, staff)


@router.post(PASSWORD_PAGE)
def change_password(
    request: Request,
    staff: ResetStaffDep,
    current_password: Annotated[str, Form(max_length=1024)] = "",
    new_password: Annotated[str, Form(max_length=1024)] = "",
    confirm_password: Annotated[str, Form(max_length=1024)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    if new_password != confirm_password:
        errors = {"confirm_password": "The two new passwords differ."}
        return _password_page(request, staff, status=422, errors=errors)
    c = request.app.state.container
    try:
        accounts.change_own_password(
            accounts.ChangePassword(current_password=current_password, new_password=new_password),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
            hasher=c.hasher,
        )
    except InvalidInput as exc:
        return _password_page(request, staff, status=422, errors=dict(exc.errors))
    return RedirectResponse(f"{PASSWORD_PAGE}?done=changed", status_code=303)
