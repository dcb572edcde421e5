"""A third party's request for some of a customer's details, and the decision on it.

Police, another company, a solicitor or a public body asks; staff record who asked, how their
identity or authority was checked, the basis they rely on and the fields asked for. A member
holding ``disclosures.approve`` (never the one who recorded it) approves some or all of the
fields, or refuses, with a reason. An approved request answers one disclosure, once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from clientkeep.shared.errors import PermissionDenied


class RequestStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    DISCLOSED = "disclosed"


STATUSES = tuple(s.value for s in RequestStatus)


class Decision(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"


DECISIONS = tuple(d.value for d in Decision)


@dataclass(frozen=True, slots=True)
class RequestDetails:
    """What the requester told us about themselves and the request: words about people,
    sealed together under the customer's key."""

    requester: str = field(repr=False)
    organisation: str = field(repr=False)
    identity_check: str = field(repr=False)
    reference: str = field(repr=False)
    reason: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class ThirdPartyRequest:
    id: str
    customer_id: str
    # The purpose the fields are read under, and the basis's code (third_party_bases).
    purpose: str
    basis: str
    # The field names asked for, in the order asked; never their values.
    fields: tuple[str, ...]
    status: RequestStatus
    created_by: str
    created_at: datetime
    details: RequestDetails = field(repr=False)
    approved_fields: tuple[str, ...] | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    # Why it was approved or refused: free text, sealed.
    decision: str | None = field(default=None, repr=False)
    disclosure_id: str | None = None

    @property
    def at(self) -> datetime:
        """When it last changed: the decision, or its recording."""
        return self.decided_at or self.created_at

    def answers(self, customer_id: str, fields: tuple[str, ...]) -> bool:
        """Whether a disclosure of ``fields`` about ``customer_id`` may rest on it now."""
        return (
            self.status is RequestStatus.APPROVED
            and self.disclosure_id is None
            and self.customer_id == customer_id
            and self.approved_fields is not None
            and set(fields) <= set(self.approved_fields)
        )


class RequestNotApproved(PermissionDenied):
    """No approved, unused request of this customer covers the fields asked for."""

    code = "request_not_approved"


class SameMember(PermissionDenied):
    """Four eyes: the member who recorded a request may not decide it."""

    code = "four_eyes"
