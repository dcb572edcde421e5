"""Staff members, their API tokens and web sessions, and the rules on signing in."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from clientkeep.policy.model import StaffRules
from clientkeep.shared.errors import InvalidInput

USERNAME_PATTERN = re.compile(r"^[a-z][a-z0-9._-]{1,63}$")
TOKEN_PREFIX = "ck_"  # noqa: S105 - a prefix, not a secret
STAFF_ID_PREFIX = "stf"


@dataclass(frozen=True, slots=True)
class StaffMember:
    id: str
    username: str
    display_name: str
    role: str
    password_hash: str
    created_at: datetime
    updated_at: datetime
    failed_sign_ins: int = 0
    locked_until: datetime | None = None
    disabled_at: datetime | None = None
    # Set by an administrator's password reset: the member chooses their own password at
    # their next sign-in, and the web lets them do nothing else until they have.
    must_change_password: bool = False

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failed_sign_in(self, now: datetime, rules: StaffRules) -> StaffMember:
        """One more failed password or second-factor code, locking the account as the
        policy's staff rules say once there are too many."""
        max_failures = rules.max_failed_sign_ins
        lockout = timedelta(minutes=rules.lockout_minutes)
        # A lock that has run out starts a fresh count rather than locking again at once.
        failures = (
            1
            if self.locked_until is not None and now >= self.locked_until
            else (self.failed_sign_ins + 1)
        )
        locked_until = now + lockout if failures >= max_failures else None
        if locked_until is None and self.is_locked(now):
            locked_until = self.locked_until
        return replace(self, failed_sign_ins=failures, locked_until=locked_until, updated_at=now)

    def after_successful_sign_in(self, now: datetime) -> StaffMember:
        return replace(self, failed_sign_ins=0, locked_until=None, updated_at=now)

    def status(self, now: datetime) -> str:
        """As the staff list, the CLI and the API name it."""
        if not self.active:
            return "disabled"
        return "locked" if self.is_locked(now) else "active"


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: str
    staff_id: str
    label: str
    token_hash: str
    created_at: datetime
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WebSession:
    id: str
    staff_id: str
    csrf_token: str
    created_at: datetime
    expires_at: datetime
    ended_at: datetime | None = None
    # A token just made in this session, kept for the one page that shows it after the
    # redirect (so a reload neither makes another nor shows it again), then cleared.
    pending_token: str | None = None
    # What a session that has passed the password still awaits (AWAITING_CODE or
    # AWAITING_ENROLMENT); None once fully signed in. Such a session can do nothing else.
    awaiting: str | None = None
    # Recovery codes just made, space-separated, kept like pending_token for one page.
    pending_recovery_codes: str | None = None

    def is_live(self, now: datetime) -> bool:
        return self.ended_at is None and now < self.expires_at


# What a half-signed-in session awaits: a code from the member's authenticator (or a recovery
# code), or, where the role requires a second factor the member has not set up, enrolment.
AWAITING_CODE = "second_factor"
AWAITING_ENROLMENT = "enrolment"


@dataclass(frozen=True, slots=True)
class SecondFactor:
    """A member's TOTP secret, sealed by the SecretSealer port, and the last step it passed.

    Unconfirmed while the member is enrolling: it signs nobody in until they have entered a
    code it makes, which proves their authenticator holds it.
    """

    staff_id: str
    sealed_secret: bytes
    created_at: datetime
    confirmed_at: datetime | None = None
    # The time step of the last code accepted: a code of this step or an earlier one is
    # refused, so a code seen over someone's shoulder cannot be used again.
    last_used_step: int | None = None

    @property
    def enabled(self) -> bool:
        return self.confirmed_at is not None


def check_username(username: str) -> str:
    cleaned = username.strip().lower()
    if not USERNAME_PATTERN.fullmatch(cleaned):
        raise InvalidInput(
            [
                (
                    "username",
                    "Use 2-64 characters: lower-case letters, digits, '.', '_' or '-', "
                    "starting with a letter.",
                )
            ]
        )
    return cleaned


def check_display_name(display_name: str) -> str:
    cleaned = " ".join(display_name.split())
    if not 1 <= len(cleaned) <= 128:
        raise InvalidInput([("display_name", "Give a display name of 1-128 characters.")])
    return cleaned


def password_problem(password: str, *, username: str, min_length: int) -> str | None:
    if len(password) < min_length:
        return f"Use at least {min_length} characters."
    if len(password) > 1024:
        return "Use at most 1024 characters."
    if username in password.lower():
        return "The password must not contain the username."
    if len(set(password)) < 4:
        return "The password is too repetitive."
    return None
