"""What complaints need from storage."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from clientkeep.complaints.model import Complaint, ComplaintStep, State
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.staff.ports import StaffRepository


@dataclass(frozen=True, slots=True)
class BoardQuery:
    states: tuple[State, ...]
    # None, "overdue" or "nearly_due": of the cases still awaiting their final response.
    due: str | None
    owner_id: str | None
    type: str | None
    # The UK date today, and the last date a deadline may fall on and be nearly due.
    today: date
    nearly_until: date
    limit: int
    # (next deadline, id) of the last case of the page before.
    after: tuple[date, str] | None = None


class ComplaintRepository(Protocol):
    def add(self, complaint: Complaint) -> None: ...

    def add_step(self, step: ComplaintStep) -> None: ...

    def get(self, complaint_id: str) -> Complaint | None:
        """The case, its words opened."""
        ...

    def save(self, complaint: Complaint) -> None:
        """Write every changing column of the case back (its words sealed again)."""
        ...

    def steps(self, complaint_id: str) -> list[ComplaintStep]:
        """The case's steps, oldest first, their notes opened."""
        ...

    def for_customer(self, customer_id: str) -> list[Complaint]:
        """The customer's cases, oldest first, opened."""
        ...

    def steps_for_customer(self, customer_id: str) -> list[ComplaintStep]: ...

    def board(self, query: BoardQuery) -> list[Complaint]:
        """Cases across customers by their next deadline (then id), words not opened."""
        ...

    def received_between(self, start: datetime | None, end: datetime | None) -> list[Complaint]:
        """Every case received in [start, end), words not opened: what reports count."""
        ...

    def timeline_page(
        self, customer_id: str, before: tuple[datetime, str] | None, limit: int
    ) -> list[ComplaintStep]:
        """The customer's steps newest first (at, id), below ``before``; notes opened."""
        ...

    def interaction_customer(self, interaction_id: str) -> str | None:
        """Whose contact an interaction id is, if it is one."""
        ...

    def rehome(self, complaint_ids: Sequence[str], customer_id: str) -> None:
        """Give these cases and all their steps to another customer, resealed."""
        ...

    def delete(self, complaint_ids: Sequence[str]) -> int:
        """Delete these cases and their steps; how many rows went."""
        ...


class ComplaintUnitOfWork(CustomerUnitOfWork, Protocol):
    complaints: ComplaintRepository
    staff: StaffRepository
