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


class VerificationRepository(Protocol):
    def add(self, verification: Verification) -> None:
        """Sealed under the customer's key: that a customer was checked is about them."""
        ...

    def get(self, verification_id: str) -> Verification | None: ...

    def failures_since(self, customer_id: str, since: datetime) -> Sequence[datetime]:
        """When each failed attempt for the customer after ``since`` was made, oldest first."""
        ...

    def for_customer(self, customer_id: str) -> list[Verification]:
        """Every attempt for the customer, oldest first (access pack, merge, erasure)."""
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


class VerificationUnitOfWork(CustomerUnitOfWork, Protocol):
    verifications: VerificationRepository


@dataclass(frozen=True, slots=True)
class CodeMessage:
    """A one-time code on its way to the address on the customer's record."""

    customer_id: str
    channel: str
    to: str
    subject: str
    body: str = field(repr=False)
    purpose: str


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

    def for_customer(self, customer_id: str) -> list[Disclosure]:
        """Every disclosure about the customer, oldest first (log, pack, merge, erasure)."""
        ...

    def rehome(self, disclosure_ids: Sequence[str], customer_id: str) -> None:
        """Give these disclosures to another customer (a merge), resealed under their key."""
        ...

    def delete(self, disclosure_ids: Sequence[str]) -> int: ...


class DisclosureUnitOfWork(VerificationUnitOfWork, Protocol):
    disclosures: DisclosureRepository
