"""What verification needs from storage: its own records, beside the customer's."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.verification.disclosure_model import Disclosure
from clientkeep.verification.model import IssuedCode, Verification
from clientkeep.verification.representative_model import Representative
from clientkeep.verification.third_party_model import ThirdPartyRequest


@dataclass(frozen=True, slots=True)
class FailedAttempt:
    """One failed check, as the lockout counts it: whose record, who ran it, when."""

    customer_id: str
    staff_id: str
    at: datetime


class VerificationRepository(Protocol):
    def add(self, verification: Verification) -> None:
        """Sealed under the customer's key: that a customer was checked is about them."""
        ...

    def get(self, verification_id: str) -> Verification | None: ...

    def failures_since(self, customer_id: str, since: datetime) -> Sequence[datetime]:
        """When each failed attempt for the customer after ``since`` was made, oldest first."""
        ...

    def page(
        self, customer_id: str, *, before: tuple[datetime, str] | None, limit: int
    ) -> list[Verification]:
        """Up to ``limit`` attempts below (at, id), newest first (the timeline)."""
        ...

    def for_customer(self, customer_id: str) -> list[Verification]:
        """Every attempt for the customer, oldest first (access pack, merge, erasure)."""
        ...

    def failed_since(self, since: datetime) -> Sequence[FailedAttempt]:
        """Every failed attempt after ``since``, for any customer, by customer then time
        (the review queue's locked checks); nothing sealed is opened."""
        ...

    def rehome(self, verification_ids: Sequence[str], customer_id: str) -> None:
        """Give these attempts to another customer (a merge), resealed under their key."""
        ...

    def delete(self, verification_ids: Sequence[str]) -> int: ...

    def replace_code(self, code: IssuedCode) -> None:
        """Store ``code`` as the one code of its customer and member of staff, dropping any
        earlier one: only the latest sent counts."""
        ...

    def current_code(self, customer_id: str, staff_id: str) -> IssuedCode | None: ...

    def use_code(self, code_id: str, now: datetime) -> bool:
        """Mark the code used if it is unused and unexpired (one conditional update); False
        when another check took it first or it has expired."""
        ...

    def delete_codes(self, customer_id: str) -> int:
        """Drop every code sent to the customer (erasure, or a merged duplicate's)."""
        ...


class RepresentativeRepository(Protocol):
    def add(self, representative: Representative) -> None:
        """Details, answers and the decision's reason sealed under the customer's key; the
        authority, scope, status and times plain."""
        ...

    def get(self, representative_id: str) -> Representative | None: ...

    def decide(self, representative: Representative) -> None:
        """Store a decision on it: its status, who decided, when, and the reason (sealed)."""
        ...

    def for_customer(self, customer_id: str) -> list[Representative]:
        """Every representative of the customer, oldest first (list, pack, merge, erasure)."""
        ...

    def rehome(self, representative_ids: Sequence[str], customer_id: str) -> None:
        """Give these representatives to another customer (a merge), resealed under their key."""
        ...

    def delete(self, representative_ids: Sequence[str]) -> int: ...


class VerificationUnitOfWork(CustomerUnitOfWork, Protocol):
    verifications: VerificationRepository
    # A verification may be of a representative: whether it still proves them needs them.
    representatives: RepresentativeRepository


@dataclass(frozen=True, slots=True)
class CodeMessage:
    """A message from verification to the address on the customer's record: a one-time
    code, or a reply holding the details a disclosure told."""

    customer_id: str
    channel: str
    to: str
    subject: str
    body: str = field(repr=False)
    purpose: str
    kind: str = "verification_code"
    # The customer's fields the subject and body carry (the outbox's ``quotes``).
    quotes: frozenset[str] = frozenset()


class CodeMessenger(Protocol):
    def send(
        self,
        uow: VerificationUnitOfWork,
        message: CodeMessage,
        now: datetime,
        *,
        policy: Policy,
        actor: Actor,
    ) -> str:
        """Put the message in the outbox inside ``uow`` (the caller commits); its id."""
        ...


@dataclass(frozen=True, slots=True)
class OneTimeCodes:
    """What sending and checking codes need from the composition root: the key their digests
    are made under and the way a message reaches the outbox (verification may not import it)."""

    key: bytes = field(repr=False)
    messenger: CodeMessenger


class DisclosureRepository(Protocol):
    def add(self, disclosure: Disclosure) -> None:
        """The recipient sealed under the customer's key; field names and times plain."""
        ...

    def get(self, disclosure_id: str) -> Disclosure | None: ...

    def page(
        self, customer_id: str, *, before: tuple[datetime, str] | None, limit: int
    ) -> list[Disclosure]:
        """Up to ``limit`` disclosures below (at, id), newest first (the timeline)."""
        ...

    def for_customer(self, customer_id: str) -> list[Disclosure]:
        """Every disclosure about the customer, oldest first (log, pack, merge, erasure)."""
        ...

    def rehome(self, disclosure_ids: Sequence[str], customer_id: str) -> None:
        """Give these disclosures to another customer (a merge), resealed under their key."""
        ...

    def delete(self, disclosure_ids: Sequence[str]) -> int: ...


class ThirdPartyRequestRepository(Protocol):
    def add(self, request: ThirdPartyRequest) -> None:
        """Details sealed under the customer's key; basis, fields, status and times plain."""
        ...

    def get(self, request_id: str) -> ThirdPartyRequest | None: ...

    def decide(self, request: ThirdPartyRequest) -> bool:
        """Store the decision on a pending request (status, approved fields, who, when, the
        reason sealed) in one conditional update; False if it was no longer pending."""
        ...

    def mark_disclosed(self, request_id: str, disclosure_id: str) -> bool:
        """Approved and unused to disclosed, naming the disclosure, in one conditional update;
        False if another disclosure took it first."""
        ...

    def by_status(
        self, status: str, *, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[ThirdPartyRequest]:
        """Requests in ``status`` across customers, oldest first, after (created_at, id)."""
        ...

    def for_customer(self, customer_id: str) -> list[ThirdPartyRequest]:
        """Every request about the customer, oldest first (list, pack, merge, erasure)."""
        ...

    def rehome(self, request_ids: Sequence[str], customer_id: str) -> None:
        """Give these requests to another customer (a merge), resealed under their key."""
        ...

    def delete(self, request_ids: Sequence[str]) -> int: ...


class ThirdPartyUnitOfWork(CustomerUnitOfWork, Protocol):
    third_party_requests: ThirdPartyRequestRepository


class DisclosureUnitOfWork(VerificationUnitOfWork, Protocol):
    disclosures: DisclosureRepository
    # A disclosure may answer an approved third-party request instead of a verified caller.
    third_party_requests: ThirdPartyRequestRepository
