"""Request and response models of the interaction endpoints: allow-lists of what leaves."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from clientkeep.adapters.http.customer_records_schemas import Strict
from clientkeep.interactions.follow_ups import FollowUpView
from clientkeep.shared.timeline import TimelineEntry

Text = Annotated[str, StringConstraints(max_length=8000)]
# An id is printable ASCII without spaces: U+0000 or a control character is refused
# here, naming the field, before it reaches a database that cannot hold it.
ID_PATTERN = r"^[!-~]+$"
Id = Annotated[str, StringConstraints(max_length=64, pattern=ID_PATTERN)]
Kind = Literal["card", "sort_code", "account_number", "ni_number", "password", "health"]


class InteractionIn(Strict):
    channel: Literal["phone", "email", "in_person", "web", "letter", "chat"]
    category: Literal["enquiry", "request", "complaint", "feedback", "update", "other"]
    nature: Text = Field(description="What the customer contacted us about. Required.")
    actions_taken: Text = Field(description="What was done. Required.")
    outcome: Literal["resolved", "follow_up", "escalated", "transferred", "no_response"] = (
        "resolved"
    )
    occurred_at: datetime | None = Field(
        None, strict=False, description="When it happened; default now."
    )
    follow_up_due: date | None = Field(
        None, strict=False, description="A UK date; only with follow_up."
    )
    follow_up_owner: Id | None = Field(None, description="Whose queue; default yours.")
    follows_up: Id | None = Field(None, description="The open follow-up this contact closes.")
    purpose: Annotated[str, StringConstraints(max_length=64)] | None = None
    redact: bool = Field(False, description="Save the checker's hits redacted.")
    keep: list[Kind] = Field(
        default_factory=list, max_length=6, description="Kinds kept as written (not card/password)."
    )


class CorrectionIn(Strict):
    reason: Text = Field(description="Why the contact is corrected. Required.")
    nature: Text | None = None
    actions_taken: Text | None = None
    channel: Literal["phone", "email", "in_person", "web", "letter", "chat"] | None = None
    category: Literal["enquiry", "request", "complaint", "feedback", "update", "other"] | None = (
        None
    )
    outcome: Literal["resolved", "follow_up", "escalated", "transferred", "no_response"] | None = (
        None
    )
    occurred_at: datetime | None = Field(None, strict=False)
    follow_up_due: date | None = Field(None, strict=False)
    redact: bool = False
    keep: list[Kind] = Field(default_factory=list, max_length=6)


class LoggedOut(Strict):
    interaction_id: str
    redacted: list[str]
    kept: list[str]


class DetailOut(Strict):
    label: str
    text: str


class EntryOut(Strict):
    kind: str
    id: str
    at: datetime
    by: str | None
    by_name: str | None
    title: str
    details: list[DetailOut]
    fields: list[str]
    parent_id: str | None

    @classmethod
    def of(cls, e: TimelineEntry, staff: dict[str, str]) -> EntryOut:
        return cls(
            kind=e.kind,
            id=e.entry_id,
            at=e.at,
            by=e.staff_id,
            by_name=staff.get(e.staff_id) if e.staff_id else None,
            title=e.title,
            details=[DetailOut(label=label, text=text) for label, text in e.details],
            fields=sorted(e.fields),
            parent_id=e.parent_id,
        )


class TimelineOut(Strict):
    purpose: str
    items: list[EntryOut]
    next_cursor: str | None = Field(description="Pass as cursor for older entries; null: none.")


class FollowUpOut(Strict):
    interaction_id: str
    customer_id: str
    display_name: str
    due: date
    overdue: bool
    owner_id: str
    owner_name: str
    logged_by: str
    occurred_at: datetime
    channel: str
    category: str
    purpose: str

    @classmethod
    def of(cls, f: FollowUpView) -> FollowUpOut:
        return cls(
            interaction_id=f.interaction_id,
            customer_id=f.customer_id,
            display_name=f.display_name,
            due=f.due,
            overdue=f.overdue,
            owner_id=f.owner_id,
            owner_name=f.owner_name,
            logged_by=f.logged_by,
            occurred_at=f.occurred_at,
            channel=f.channel,
            category=f.category,
            purpose=f.purpose,
        )


class FollowUpsOut(Strict):
    items: list[FollowUpOut]
