"""An interaction: one contact with a customer, as logged. Never edited in place: a
correction is a new interaction naming the one it corrects, and a follow-up is done when a
later interaction names it in ``follows_up``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from clientkeep.interactions.vocabulary import Category, Channel, Outcome


@dataclass(frozen=True, slots=True)
class Notes:
    """What was said and done: free text about a person, sealed under the customer's key."""

    nature: str
    actions_taken: str
    # A correction's reason; None for an interaction that corrects nothing.
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Interaction:
    id: str
    customer_id: str
    staff_id: str
    occurred_at: datetime
    recorded_at: datetime
    channel: Channel
    category: Category
    outcome: Outcome
    purpose: str
    notes: Notes = field(repr=False)
    # A UK date the follow-up is due and whose queue it is in (outcome follow_up only).
    follow_up_due: date | None = None
    follow_up_owner: str | None = None
    # The follow-up this contact was, and the interaction this one corrects.
    follows_up: str | None = None
    corrects: str | None = None
    # The note checker's kinds the member saw: kept as written, or redacted.
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PageMarks:
    """What later rows say of the rows of a page: which were corrected (by which row), and
    which follow-ups were done (by which row)."""

    corrected_by: dict[str, str] = field(default_factory=dict)
    followed_up_by: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OpenFollowUp:
    """A follow-up still to do, across customers: nothing sealed is opened to list it."""

    interaction_id: str
    customer_id: str
    due: date
    owner_id: str
    staff_id: str
    occurred_at: datetime
    channel: Channel
    category: Category
    purpose: str
