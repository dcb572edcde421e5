"""A customer's authorised representative: a person with authority to act for them.

Staff record one with the authority they saw (a lasting power of attorney, a deputyship,
parental responsibility, a solicitor's letter), what it lets them be told or change (the
scope: field names and actions) and the representative's own answers for verifying them;
a supervisor other than the recorder approves or refuses it, and it may later be revoked. Only
an approved, unexpired representative can be verified, and a verification of one lets staff
tell them or change for them only what the scope allows. Their answers never leave the store.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from clientkeep.shared.errors import PermissionDenied


class Authority(StrEnum):
    LASTING_POWER_OF_ATTORNEY = "lasting_power_of_attorney"
    DEPUTYSHIP = "deputyship"
    PARENTAL_RESPONSIBILITY = "parental_responsibility"
    SOLICITORS_LETTER = "solicitors_letter"


AUTHORITIES = tuple(a.value for a in Authority)


class Status(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"
    REVOKED = "revoked"


class ScopeAction(StrEnum):
    DISCLOSE = "disclose"
    UPDATE = "update"


SCOPE_ACTIONS = tuple(a.value for a in ScopeAction)


class Decision(StrEnum):
    APPROVE = "approve"
    REFUSE = "refuse"
    REVOKE = "revoke"


DECISIONS = tuple(d.value for d in Decision)

# Which status each decision may be taken from, and the status it leads to.
TRANSITIONS: dict[Decision, tuple[Status, Status]] = {
    Decision.APPROVE: (Status.PENDING, Status.APPROVED),
    Decision.REFUSE: (Status.PENDING, Status.REFUSED),
    Decision.REVOKE: (Status.APPROVED, Status.REVOKED),
}


@dataclass(frozen=True, slots=True)
class Representative:
    id: str
    customer_id: str
    authority: Authority
    # The field names they may be told or have changed, and what they may do with them.
    scope_fields: tuple[str, ...]
    scope_actions: tuple[str, ...]
    # The end of the authority (exclusive), or None while it lasts.
    expires_at: datetime | None
    status: Status
    created_by: str
    created_at: datetime
    # The purpose the representative is recorded under; their scope is within what it shows.
    purpose: str
    # Sealed together (``details``): words about a person and their documents.
    name: str = field(repr=False)
    relationship: str = field(repr=False)
    reference: str = field(repr=False)
    evidence_seen: str = field(repr=False)
    # Sealed (``answers``): their own answers, normalised, keyed by the field they stand for.
    answers: Mapping[str, str] = field(repr=False, default_factory=dict)
    decided_by: str | None = None
    decided_at: datetime | None = None
    # Sealed (``decision``): why it was approved, refused or revoked.
    decision_reason: str | None = field(repr=False, default=None)

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and not now < self.expires_at

    def acts_at(self, now: datetime) -> bool:
        """Whether they may be verified and acted for now: approved and not expired."""
        return self.status is Status.APPROVED and not self.expired(now)

    def outside(self, fields: Collection[str], action: str) -> tuple[list[str], bool]:
        """The fields asked for that the scope leaves out, and whether the action is too."""
        return [f for f in fields if f not in self.scope_fields], action not in self.scope_actions


class OutsideScope(PermissionDenied):
    """A verified representative asked for something their authority does not cover."""

    code = "outside_representative_scope"

    def __init__(self, fields: Collection[str], action: str | None) -> None:
        parts = []
        if action is not None:
            parts.append(f"the action {action!r}")
        if fields:
            parts.append("the details " + ", ".join(fields))
        super().__init__(
            "The representative's authority does not cover " + " or ".join(parts) + "."
        )


class FourEyes(PermissionDenied):
    """The member who recorded a representative may not decide on them."""

    code = "four_eyes"
