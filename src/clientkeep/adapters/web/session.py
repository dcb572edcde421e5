"""The signed session cookie, CSRF checks, and the signed-in staff member of a request."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.responses import Response

from clientkeep.bootstrap import Container
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import AuthenticationFailed, PermissionDenied
from clientkeep.staff import authentication
from clientkeep.staff.model import AWAITING_ENROLMENT, WebSession

SESSION_COOKIE = "ck_session"
PRESESSION_COOKIE = "ck_presession"


@dataclass(frozen=True)
class SignedInStaff:
    actor: Actor
    session: WebSession
    must_change_password: bool = False

    @property
    def awaiting(self) -> str | None:
        """What a half-signed-in session still awaits (a code, or enrolment); None once in."""
        return self.session.awaiting


def _container(request: Request) -> Container:
    container: Container = request.app.state.container
    return container


def _serializer(request: Request, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(_container(request).session_signing_key, salt=salt)


def set_cookie(request: Request, response: Response, name: str, value: str, salt: str) -> None:
    response.set_cookie(
        name,
        _serializer(request, salt).dumps(value),
        httponly=True,
        samesite="strict",
        secure=not _container(request).settings.insecure_cookies,
        path="/",
    )


def read_cookie(request: Request, name: str, salt: str) -> str | None:
    raw = request.cookies.get(name)
    if not raw:
        return None
    try:
        value = _serializer(request, salt).loads(raw)
    except BadSignature:
        return None
    return value if isinstance(value, str) else None


def any_session(request: Request) -> SignedInStaff | None:
    """The live session of the request, signed in or only half (past the password, awaiting
    a second step). Only a signed-in one is shown as signed in by the layout."""
    session_id = read_cookie(request, SESSION_COOKIE, "session")
    if session_id is None:
        return None
    container = _container(request)
    found = authentication.session_actor(
        session_id,
        uow=container.uow(),
        clock=container.clock,
        request_id=request.state.request_id,
    )
    if found is None:
        return None
    signed_in = SignedInStaff(
        actor=found.actor, session=found.session, must_change_password=found.must_change_password
    )
    if signed_in.awaiting is None:
        request.state.web = signed_in
    return signed_in


def optional_staff(request: Request) -> SignedInStaff | None:
    """The signed-in member, if any: a half-signed-in session is not signed in."""
    found = any_session(request)
    return found if found is not None and found.awaiting is None else None


def staff_even_before_password_change(request: Request) -> SignedInStaff:
    """The signed-in member, also one who must still replace a reset password: for the
    change-password page, the only thing such a member may do."""
    signed_in = optional_staff(request)
    if signed_in is None:
        raise AuthenticationFailed("Sign in to continue.")
    return signed_in


def session_to_end(request: Request) -> SignedInStaff:
    """Any live session, half-signed-in ones too: for signing out, which each may do."""
    found = any_session(request)
    if found is None:
        raise AuthenticationFailed("Sign in to continue.")
    return found


def half_signed_in(request: Request) -> SignedInStaff | None:
    """A session past the password that awaits a code, or None."""
    found = any_session(request)
    return found if found is not None and found.awaiting is not None else None


def enrolling_staff(request: Request) -> SignedInStaff:
    """Who may set up their second factor: a signed-in member, or one whose role requires a
    second factor and who may do nothing else until they have set it up."""
    found = any_session(request)
    if found is None or found.awaiting not in (None, AWAITING_ENROLMENT):
        raise AuthenticationFailed("Sign in to continue.")
    if found.awaiting is None and found.must_change_password:
        raise AuthenticationFailed("Choose a new password to continue.")
    return found


def required_staff(request: Request) -> SignedInStaff:
    signed_in = staff_even_before_password_change(request)
    if signed_in.must_change_password:
        # Sent to the sign-in page like a signed-out visitor, which sends a member in this
        # state on to the change-password page: no other page, and no form, does anything.
        raise AuthenticationFailed("Choose a new password to continue.")
    return signed_in


StaffDep = Annotated[SignedInStaff, Depends(required_staff)]
ResetStaffDep = Annotated[SignedInStaff, Depends(staff_even_before_password_change)]
AnySessionDep = Annotated[SignedInStaff, Depends(session_to_end)]
EnrollingStaffDep = Annotated[SignedInStaff, Depends(enrolling_staff)]


def check_csrf(expected: str | None, submitted: str | None) -> None:
    """Every state-changing form carries the token; a missing or wrong one is refused."""
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise PermissionDenied(
            "The form's security token is missing or out of date. Go back, reload the page "
            "and try again."
        )


def presession_token(request: Request) -> str:
    return read_cookie(request, PRESESSION_COOKIE, "presession") or secrets.token_urlsafe(32)
