"""The second step of signing in (a code, or a recovery code), and each member's second
factor under Your account: setting it up, its recovery codes, turning it off.

Every change is a POST that redirects (a reload repeats nothing). New recovery codes wait on
the web session for the one page after the redirect, which takes them: they are never in an
address or a cookie, and never shown twice.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.http.deps import client_source, failed_attempts
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import (
    SESSION_COOKIE,
    EnrollingStaffDep,
    SignedInStaff,
    check_csrf,
    half_signed_in,
    set_cookie,
)
from clientkeep.shared.errors import AuthenticationFailed, InvalidInput
from clientkeep.staff import second_factor
from clientkeep.staff.errors import TooManyFailedAttempts
from clientkeep.staff.model import AWAITING_CODE, AWAITING_ENROLMENT

router = APIRouter()

CODE_PAGE = "/sign-in/second-factor"
SECOND_FACTOR_PAGE = "/account/second-factor"
ENROL_PAGE = f"{SECOND_FACTOR_PAGE}/enrol"
PASSWORD_PAGE = "/account/password"  # noqa: S105 - an address, not a password

# Shown as "Done: <notice>." by the template; the address carries only the code.
_NOTICES = {
    "enrolled": "your second factor is on",
    "turned_off": "your second factor is off",
}


def next_page(awaiting: str | None, must_change_password: bool) -> str:
    """Where a session goes next: its second step, the password it must replace, or home."""
    if awaiting == AWAITING_CODE:
        return CODE_PAGE
    if awaiting == AWAITING_ENROLMENT:
        return SECOND_FACTOR_PAGE
    return PASSWORD_PAGE if must_change_password else "/"


def _no_store(page: Response) -> Response:
    # The page may hold a secret: no cache keeps it for the back button.
    page.headers["Cache-Control"] = "no-store"
    return page


def _code_page(
    request: Request,
    half: SignedInStaff | None,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    context = {
        "half": half,
        "csrf_token": half.session.csrf_token if half is not None else None,
        "error": error,
    }
    return render(request, "account/second_factor_code.html", context, status=status)


@router.get(CODE_PAGE)
def code_form(request: Request) -> Response:
    half = half_signed_in(request)
    if half is None or half.awaiting != AWAITING_CODE:
        return RedirectResponse("/sign-in", status_code=303)
    return _code_page(request, half)


@router.post(CODE_PAGE)
def check_code(
    request: Request,
    code: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    half = half_signed_in(request)
    if half is None or half.awaiting != AWAITING_CODE:
        return RedirectResponse("/sign-in", status_code=303)
    check_csrf(half.session.csrf_token, csrf_token)
    c = request.app.state.container
    try:
        signed_in = second_factor.complete_sign_in(
            half.session.id,
            code,
            uow=c.uow(),
            policy=c.policy,
            clock=c.clock,
            sealer=c.second_factor_sealer,
            request_id=request.state.request_id,
            source=client_source(request),
            failures=failed_attempts(request),
        )
    except TooManyFailedAttempts as exc:
        page = _code_page(request, half, error=exc.message, status=429)
        page.headers["Retry-After"] = str(exc.retry_after)
        return page
    except AuthenticationFailed as exc:
        # Locked out, the half session has ended: the page then offers only to start again.
        return _code_page(request, half_signed_in(request), error=exc.message, status=401)
    to = next_page(None, signed_in.must_change_password)
    response = RedirectResponse(to, status_code=303)
    set_cookie(request, response, SESSION_COOKIE, signed_in.session.id, "session")
    return response


def _account_page(
    request: Request,
    staff: SignedInStaff,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
    recovery_codes: list[str] | None = None,
) -> Response:
    c = request.app.state.container
    context = {
        "status": second_factor.own_status(uow=c.uow(), actor=staff.actor, policy=c.policy),
        "forced": staff.awaiting == AWAITING_ENROLMENT,
        "csrf_token": staff.session.csrf_token,
        "errors": errors or {},
        "recovery_codes": recovery_codes or [],
        "message": _NOTICES.get(request.query_params.get("done", "")),
    }
    return _no_store(render(request, "account/second_factor.html", context, status=status))


@router.get(SECOND_FACTOR_PAGE)
def account_page(request: Request, staff: EnrollingStaffDep) -> Response:
    c = request.app.state.container
    codes = second_factor.take_recovery_codes(staff.session, uow=c.uow())
    return _account_page(request, staff, recovery_codes=codes)


@router.post(f"{SECOND_FACTOR_PAGE}/begin")
def begin(
    request: Request, staff: EnrollingStaffDep, csrf_token: Annotated[str | None, Form()] = None
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = request.app.state.container
    try:
        second_factor.begin_enrolment(
            uow=c.uow(), actor=staff.actor, clock=c.clock, sealer=c.second_factor_sealer
        )
    except InvalidInput as exc:
        return _account_page(request, staff, status=422, errors=dict(exc.errors))
    return RedirectResponse(ENROL_PAGE, status_code=303)


def _enrol_page(
    request: Request,
    staff: SignedInStaff,
    enrolment: second_factor.Enrolment,
    *,
    status: int = 200,
    errors: dict[str, str] | None = None,
) -> Response:
    secret = enrolment.secret
    context = {
        "key": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "uri": enrolment.uri,
        "forced": staff.awaiting == AWAITING_ENROLMENT,
        "csrf_token": staff.session.csrf_token,
        "errors": errors or {},
    }
    return _no_store(render(request, "account/second_factor_enrol.html", context, status=status))


@router.get(ENROL_PAGE)
def enrol_form(request: Request, staff: EnrollingStaffDep) -> Response:
    c = request.app.state.container
    enrolment = second_factor.pending_enrolment(
        uow=c.uow(), actor=staff.actor, sealer=c.second_factor_sealer
    )
    if enrolment is None:
        return RedirectResponse(SECOND_FACTOR_PAGE, status_code=303)
    return _enrol_page(request, staff, enrolment)


@router.post(ENROL_PAGE)
def enrol(
    request: Request,
    staff: EnrollingStaffDep,
    code: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = request.app.state.container
    try:
        enrolled = second_factor.confirm_enrolment(
            code,
            uow=c.uow(),
            actor=staff.actor,
            clock=c.clock,
            sealer=c.second_factor_sealer,
            policy=c.policy,
            session=staff.session,
        )
    except InvalidInput as exc:
        enrolment = second_factor.pending_enrolment(
            uow=c.uow(), actor=staff.actor, sealer=c.second_factor_sealer
        )
        if enrolment is None:
            return _account_page(request, staff, status=422, errors=dict(exc.errors))
        return _enrol_page(request, staff, enrolment, status=422, errors=dict(exc.errors))
    response = RedirectResponse(f"{SECOND_FACTOR_PAGE}?done=enrolled", status_code=303)
    if enrolled.signed_in is not None:
        # Enrolment was the last step of signing in: the session is a new one now.
        set_cookie(request, response, SESSION_COOKIE, enrolled.signed_in.session.id, "session")
    return response


@router.post(f"{SECOND_FACTOR_PAGE}/turn-off")
def turn_off(
    request: Request,
    staff: EnrollingStaffDep,
    code: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = request.app.state.container
    try:
        second_factor.turn_off(
            code,
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
            sealer=c.second_factor_sealer,
        )
    except InvalidInput as exc:
        return _account_page(request, staff, status=422, errors=dict(exc.errors))
    return RedirectResponse(f"{SECOND_FACTOR_PAGE}?done=turned_off", status_code=303)
