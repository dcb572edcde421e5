"""A check that a caller is the customer, and what it allows.

A verification names the customer and the member of staff who ran it; it proves the caller
only to that member, about that customer, until it expires. It holds which details the caller
stated (field names) and whether enough matched, never what the caller said or what is held.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from clientkeep.policy.model import VerificationMethod
from clientkeep.shared.errors import Locked, PermissionDenied


class Method(StrEnum):
    KNOWLEDGE = "knowledge"
    ONE_TIME_CODE = "one_time_code"
    # The caller is an authorised representative of the customer, checked with their own
    # answers; what the verification allows is cut to the representative's scope.
    REPRESENTATIVE = "representative"


@dataclass(frozen=True, slots=True)
class VerificationRules:
    """How long a pass lasts and when repeated failures lock a customer's checks."""

    valid_for: timedelta
    max_failures: int
    failure_window: timedelta

    @classmethod
    def of(cls, method: VerificationMethod) -> VerificationRules:
        return cls(
            valid_for=timedelta(minutes=method.valid_for_minutes),
            max_failures=method.max_failures,
            failure_window=timedelta(minutes=method.failure_window_minutes),
        )


@dataclass(frozen=True, slots=True)
class Verification:
    id: str
    customer_id: str
    staff_id: str
    method: Method
    passed: bool
    # The details the caller stated, by field name: which ones counted is never recorded.
    stated: tuple[str, ...]
    at: datetime
    expires_at: datetime | None  # None for a failed attempt
    # Set when the caller checked was this representative of the customer, not the customer.
    representative_id: str | None = None

    def proves(self, customer_id: str, staff_id: str, now: datetime) -> bool:
        return (
            self.passed
            and self.expires_at is not None
            and self.customer_id == customer_id
            and self.staff_id == staff_id
            and now < self.expires_at
        )


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """A one-time code sent to a customer for one member of staff to check. Only its keyed
    digest is kept (HMAC under a key of its own, bound to the row's id), never the code."""

    id: str
    customer_id: str
    staff_id: str
    channel: str
    digest: bytes = field(repr=False)
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None

    def open_at(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


class VerificationLocked(Locked):
    """Too many failed attempts for this customer lately: try again at ``retry_at``."""

    code = "verification_locked"

    def __init__(self, retry_at: datetime) -> None:
        super().__init__(
            "Too many failed verification attempts for this customer. "
            f"Try again after {retry_at:%H:%M} UTC, or ask a supervisor.",
            retry_at=retry_at,
        )


class NotVerified(PermissionDenied):
    """The caller has not been verified, by this member of staff, for this customer, lately."""

    code = "not_verified"
