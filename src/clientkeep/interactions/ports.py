"""What interactions need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Protocol

from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.interactions.model import Interaction, OpenFollowUp, PageMarks
from clientkeep.staff.ports import StaffRepository


class InteractionRepository(Protocol):
    def add(self, interaction: Interaction) -> None:
        """The notes sealed under the customer's key; times, channel and outcome plain."""
        ...

    def get(self, interaction_id: str) -> Interaction | None: ...

    def page(
        self, customer_id: str, *, before: tuple[datetime, str] | None, limit: int
    ) -> list[Interaction]:
        """Up to ``limit`` of the customer's interactions below (occurred_at, id), newest
        first: one indexed range, however many the customer has."""
        ...

    def marks(self, interaction_ids: Sequence[str]) -> PageMarks:
        """Which of these were corrected, and which follow-ups done, by later rows."""
        ...

    def is_corrected(self, interaction_id: str) -> bool: ...

    def is_followed_up(self, interaction_id: str) -> bool: ...

    def open_follow_ups(
        self, *, owner_id: str | None, due_before: date | None, limit: int
    ) -> list[OpenFollowUp]:
        """Follow-ups not done and not corrected, due first; one member's (None: all)."""
        ...

    def for_customer(self, customer_id: str) -> list[Interaction]:
        """Every interaction of the customer, oldest first (pack, merge, erasure)."""
        ...

    def rehome(self, interaction_ids: Sequence[str], customer_id: str) -> None:
        """Give these interactions to another customer (a merge), resealed under their key."""
        ...

    def delete(self, interaction_ids: Sequence[str]) -> int: ...


class InteractionUnitOfWork(CustomerUnitOfWork, Protocol):
    interactions: InteractionRepository
    staff: StaffRepository
