"""What the outbox needs from storage and from the senders."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from clientkeep.audit.ports import AuditLog
from clientkeep.customers.ports import CustomerRepository
from clientkeep.outbox.model import Channel, Content, Envelope, Message, Outgoing, Status
from clientkeep.shared.uow import UnitOfWork


class OutboxRepository(Protocol):
    def customer_is_live(self, customer_id: str) -> bool:
        """The customer exists and has not been merged into another record."""
        ...

    def add(self, message_id: str, message: Message, to_field: str, now: datetime) -> None:
        """A waiting message, due now, its recipient, subject and body sealed."""
        ...

    def claim_next(
        self, channels: Iterable[Channel], now: datetime, lease_until: datetime, worker: str
    ) -> tuple[Envelope, Outgoing] | None:
        """Take the oldest due waiting message on one of ``channels`` for ``worker``: it is
        "sending", leased until ``lease_until``, its attempts counted. Two workers never
        claim the same message (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one writer)."""
        ...

    def expired_leases(self, now: datetime, limit: int) -> list[Envelope]:
        """Messages still "sending" whose lease ran out: their outcome is unknown."""
        ...

    def settle(
        self,
        message_id: str,
        worker: str,
        *,
        status: Status,
        now: datetime,
        next_attempt_at: datetime | None = None,
        provider_id: str | None = None,
        error: str | None = None,
    ) -> Envelope | None:
        """Record the outcome of ``worker``'s attempt; None if the message is no longer
        held by that worker (erased, or retried by a person after its lease ran out)."""
        ...

    def give_up_unknown(self, message_id: str, now: datetime, error: str) -> bool:
        """Dead-letter a message whose lease ran out, keeping who held it: if that worker
        does report later, its outcome is recorded after all."""
        ...

    def retry(self, message_id: str, now: datetime) -> Envelope | None:
        """A dead message waiting again, due now; None if it was not dead."""
        ...

    def get(self, message_id: str) -> Envelope | None: ...

    def open(self, message_id: str) -> tuple[Envelope, Content] | None: ...

    def page(
        self, *, status: Status | None, before: tuple[datetime, str] | None, limit: int
    ) -> list[Envelope]:
        """Newest first, older than ``before`` (created_at, id) when given."""
        ...

    def counts(self) -> dict[str, int]:
        """How many messages are in each status."""
        ...

    def for_customer(self, customer_id: str) -> list[Envelope]: ...

    def opened_for_customer(self, customer_id: str) -> list[tuple[Envelope, Content]]: ...

    def move(self, from_id: str, to_id: str, now: datetime) -> int:
        """Re-home a merged duplicate's messages on the survivor, resealed under its key."""
        ...

    def erase(self, customer_id: str, ids: Iterable[str] | None = None) -> int: ...


class OutboxUnitOfWork(UnitOfWork, Protocol):
    outbox: OutboxRepository
    audit: AuditLog
    # Display names on the outbox page come from the customers' records.
    customers: CustomerRepository


class Sender(Protocol):
    """Delivers one message on its channel and answers the provider's id for it; raises
    ``DeliveryFailed`` with a reason that never quotes the body."""

    def send(self, message: Outgoing) -> str: ...
