"""The request and response bodies of the complaints endpoints: allow-lists of what leaves."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from clientkeep.adapters.http.customer_records_schemas import Strict
from clientkeep.complaints import case_views as cases
from clientkeep.complaints.services import ComplaintView, ReportRow, StepView

# An id is printable ASCII without spaces: U+0000 or a control character is refused
# here, naming the field, before it reaches a database that cannot hold it.
ID_PATTERN = r"^[!-~]+$"
Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=ID_PATTERN)]
Summary = Annotated[str, StringConstraints(max_length=cases.SUMMARY_MAX)]
Text = Annotated[str, StringConstraints(max_length=cases.TEXT_MAX)]
Note = Annotated[str, StringConstraints(max_length=cases.NOTE_MAX)]
Channel = Literal["phone", "email", "in_person", "web", "letter", "chat"]
State = Literal["received", "acknowledged", "investigating", "escalated", "resolved", "closed"]
StepName = Literal[
    "acknowledge",
    "investigate",
    "escalate",
    "hold",
    "release",
    "resolve",
    "close",
    "reopen",
    "assign",
    "note",
]
DeadlineStatus = Literal["met", "missed", "overdue", "nearly_due", "due"]
Accepted = Literal["yes", "no", "unknown"]


class ComplaintIn(Strict):
    customer_id: Id
    type: Annotated[str, StringConstraints(min_length=1, max_length=32)] = Field(
        description="A complaint type the policy declares (general, data_protection, service)."
    )
    summary: Summary = Field(description="What the customer complains of.")
    desired_outcome: Text = Field("", description="What they want done.")
    channel: Channel
    received_at: datetime | None = Field(
        None,
        strict=False,
        description="When it was received, with its UTC offset; now if not given.",
    )
    interaction_id: Id | None = Field(None, description="The customer's contact it came in.")


class Checklist(Strict):
    listened: bool
    apologised: bool
    solution_offered: bool
    thanked: bool


class StepIn(Strict):
    step: StepName
    note: Note | None = Field(None, description="A note's text (step note).")
    reason: Note | None = Field(None, description="Why: for hold, escalate and reopen.")
    resolution: Text = Field("", description="Resolving: what was done.")
    checklist: Checklist | None = Field(None, description="Resolving: the handling checklist.")
    customer_accepted: Accepted | None = Field(
        None, description="Resolving: whether the customer accepted the resolution."
    )
    owner_id: Id | None = Field(None, description="Assigning: the member (none: the team).")


class DetailsOut(Strict):
    summary: str
    desired_outcome: str
    resolution: str | None


class StepOut(Strict):
    id: str
    at: datetime
    staff_id: str
    staff_name: str
    step: str
    from_state: str | None
    to_state: str
    note: str | None

    @classmethod
    def of(cls, s: StepView) -> StepOut:
        return cls(
            id=s.id,
            at=s.at,
            staff_id=s.staff_id,
            staff_name=s.staff_name,
            step=s.step,
            from_state=s.from_state,
            to_state=s.to_state,
            note=s.note,
        )


class ComplaintOut(Strict):
    id: str
    customer_id: str
    customer_name: str | None = Field(
        None, description="On the board only: the name as the complaints purpose shows it."
    )
    type: str
    type_label: str
    rule: str
    channel: str
    purpose: str
    state: State
    received_at: datetime
    received_on: date
    opened_by: str
    opened_by_name: str
    owner_id: str | None
    owner_name: str | None
    interaction_id: str | None
    acknowledge_due: date = Field(description="A UK date: due by the end of that day.")
    acknowledge_status: DeadlineStatus
    final_response_due: date = Field(description="A UK date: due by the end of that day.")
    final_response_status: DeadlineStatus
    next_due: date | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    on_hold_since: datetime | None
    on_hold_days: int
    held_days: int
    hold_stops_clock: bool
    days_open: int
    working_days_open: int
    checklist: dict[str, bool]
    customer_accepted: Accepted
    changed_at: datetime
    allowed_steps: list[str]
    details: DetailsOut | None = Field(
        description="Null where the purpose read under does not show the complaint details."
    )
    steps: list[StepOut]

    @classmethod
    def of(cls, v: ComplaintView) -> ComplaintOut:
        d = v.details
        return cls(
            id=v.id,
            customer_id=v.customer_id,
            customer_name=v.customer_name,
            type=v.type,
            type_label=v.type_label,
            rule=v.rule,
            channel=v.channel,
            purpose=v.purpose,
            state=v.state,  # type: ignore[arg-type]
            received_at=v.received_at,
            received_on=v.received_on,
            opened_by=v.opened_by,
            opened_by_name=v.opened_by_name,
            owner_id=v.owner_id,
            owner_name=v.owner_name,
            interaction_id=v.interaction_id,
            acknowledge_due=v.acknowledge_due,
            acknowledge_status=v.acknowledge_status,  # type: ignore[arg-type]
            final_response_due=v.final_response_due,
            final_response_status=v.final_response_status,  # type: ignore[arg-type]
            next_due=v.next_due,
            acknowledged_at=v.acknowledged_at,
            resolved_at=v.resolved_at,
            closed_at=v.closed_at,
            on_hold_since=v.on_hold_since,
            on_hold_days=v.on_hold_days,
            held_days=v.held_days,
            hold_stops_clock=v.hold_stops_clock,
            days_open=v.days_open,
            working_days_open=v.working_days_open,
            checklist=dict(v.checklist),
            customer_accepted=v.customer_accepted,  # type: ignore[arg-type]
            changed_at=v.changed_at,
            allowed_steps=list(v.allowed_moves),
            details=None
            if d is None
            else DetailsOut(
                summary=d.summary, desired_outcome=d.desired_outcome, resolution=d.resolution
            ),
            steps=[StepOut.of(s) for s in v.steps],
        )


class ComplaintList(Strict):
    items: list[ComplaintOut]
    next_cursor: str | None = None


class ReportRowOut(Strict):
    dimension: Literal["type", "month", "staff"]
    key: str
    label: str
    received: int
    open: int
    overdue: int
    acknowledged_on_time: int
    resolved: int
    resolved_on_time: int
    median_days_to_resolve: float | None
    accepted: int
    answered: int
    accepted_share: float | None

    @classmethod
    def of(cls, r: ReportRow) -> ReportRowOut:
        return cls(
            dimension=r.dimension,  # type: ignore[arg-type]
            key=r.key,
            label=r.label,
            received=r.received,
            open=r.open,
            overdue=r.overdue,
            acknowledged_on_time=r.acknowledged_on_time,
            resolved=r.resolved,
            resolved_on_time=r.resolved_on_time,
            median_days_to_resolve=r.median_days_to_resolve,
            accepted=r.accepted,
            answered=r.answered,
            accepted_share=r.accepted_share,
        )


class ReportOut(Strict):
    generated_at: datetime
    rows: list[ReportRowOut]
