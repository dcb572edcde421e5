"""What feedback needs from storage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.feedback.model import Feedback, LinkedContact
from clientkeep.feedback.scores import Tally
from clientkeep.outbox.ports import OutboxRepository
from clientkeep.staff.ports import StaffRepository

# The plain columns a report may group by, by the name a report is asked for.
GROUP_COLUMNS = {
    "month": "month",
    "channel": "channel",
    "category": "category",
    "staff": "staff_id",
}


class FeedbackRepository(Protocol):
    def add(self, feedback: Feedback) -> None:
        """The answer, its comment (if any) sealed under the customer's key."""
        ...

    def get(self, feedback_id: str) -> Feedback | None: ...

    def for_customer(self, customer_id: str) -> list[Feedback]:
        """Every answer the customer gave, oldest first."""
        ...

    def page(
        self, customer_id: str, *, before: tuple[datetime, str] | None, limit: int
    ) -> list[Feedback]:
        """Up to ``limit`` of the customer's answers below (at, id) ``before``, newest first."""
        ...

    def contact(self, interaction_id: str) -> LinkedContact | None:
        """The interaction an answer rates, as much of it as the answer copies."""
        ...

    def tallies(self, by: str, from_month: str, to_month: str) -> dict[str | None, Tally]:
        """Answers given in the months from ``from_month`` to ``to_month`` (both included),
        counted by ``GROUP_COLUMNS[by]``: aggregates only."""
        ...

    def tallies_by_all(
        self, from_month: str, to_month: str
    ) -> dict[tuple[str, str | None, str | None, str], Tally]:
        """The same answers counted by (month, channel, category, staff id) at once, in one
        pass: the dashboard rolls them up into every grouping."""
        ...

    def rehome(self, feedback_ids: Sequence[str], customer_id: str) -> None: ...

    def delete(self, feedback_ids: Sequence[str]) -> int: ...


class FeedbackUnitOfWork(CustomerUnitOfWork, Protocol):
    feedback: FeedbackRepository
    staff: StaffRepository


class SurveyUnitOfWork(FeedbackUnitOfWork, Protocol):
    outbox: OutboxRepository
