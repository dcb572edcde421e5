"""Complaint cases as the use cases take and give them: the commands, the views, and the
checks and rules every use case shares.

Every case is held under the policy's complaints purpose, which uses the complaint-details
notes field; its words (summary, desired outcome, resolution, the steps' notes) are sealed
under the customer's key and shown only where the purpose read under shows that field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from clientkeep.audit.model import entry_for
from clientkeep.complaints.clocks import (
    STATUS_WORDS,
    DeadlineStatus,
    ageing,
    deadline_status,
)
from clientkeep.complaints.model import (
    UNRESOLVED,
    Accepted,
    Complaint,
    ComplaintDetails,
    allowed_moves,
)
from clientkeep.complaints.ports import ComplaintUnitOfWork
from clientkeep.interactions import note_check
from clientkeep.interactions.vocabulary import CHANNELS
from clientkeep.policy.access import projection_for
from clientkeep.policy.complaint_rules import ComplaintRules, ComplaintType
from clientkeep.policy.model import Policy, Projection
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import InvalidInput
from clientkeep.shared.uk_time import uk_date
from clientkeep.staff.directory import Directory, directory

OPENED_ACTION = "complaint.opened"
MOVED = "complaint.moved"
READ = "complaint.read"
BOARD_READ = "complaints.board_read"
CUSTOMER_READ = "customer.complaints_read"

SUMMARY_MAX = 2000
TEXT_MAX = 2000
NOTE_MAX = 1000
PAGE_MAX = 200
DUE_FILTERS = ("overdue", "nearly_due")
# Received longer ago than this is a typing mistake (its clocks would have run out long since).
OLDEST = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class OpenComplaint:
    customer_id: str
    type: str
    summary: str
    channel: str
    desired_outcome: str = ""
    # None: now. Never in the future.
    received_at: datetime | None = None
    interaction_id: str | None = None


@dataclass(frozen=True, slots=True)
class MoveComplaint:
    step: str
    # The note or reason (a hold's, an escalation's, a reopening's; a note's text).
    note: str = ""
    # Resolving: the resolution, the checklist and whether the customer accepted it.
    resolution: str = ""
    checklist: Mapping[str, bool] | None = None
    customer_accepted: str | None = None
    # Assigning: the member of staff (None: back to the team).
    owner_id: str | None = None


@dataclass(frozen=True, slots=True)
class StepView:
    id: str
    at: datetime
    staff_id: str
    staff_name: str
    step: str
    from_state: str | None
    to_state: str
    # None where the purpose read under does not show the complaint's details.
    note: str | None = field(repr=False)


@dataclass(frozen=True, slots=True)
class ComplaintView:
    id: str
    customer_id: str
    type: str
    type_label: str
    rule: str
    channel: str
    purpose: str
    state: str
    received_at: datetime
    received_on: date
    opened_by: str
    opened_by_name: str
    owner_id: str | None
    owner_name: str | None
    interaction_id: str | None
    acknowledge_due: date
    acknowledge_status: str
    final_response_due: date
    final_response_status: str
    # The next deadline the case awaits (None once resolved).
    next_due: date | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    on_hold_since: datetime | None
    # Days on the running hold so far, and every day held (released holds and the running one).
    on_hold_days: int
    held_days: int
    # Whether the type's rule adds the days held to the deadlines.
    hold_stops_clock: bool
    days_open: int
    working_days_open: int
    checklist: Mapping[str, bool]
    customer_accepted: str
    changed_at: datetime
    allowed_moves: tuple[str, ...]
    details: ComplaintDetails | None = field(repr=False)
    steps: tuple[StepView, ...] = ()
    # On the board only: the customer's name as the complaints purpose shows it.
    customer_name: str | None = field(default=None, repr=False)
    # Opening: whether this answered a repeat of an earlier request (its Idempotency-Key).
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class BoardPage:
    items: list[ComplaintView]
    next_cursor: str | None


def status_words(status: str) -> str:
    return STATUS_WORDS[DeadlineStatus(status)]


# -- checks ------------------------------------------------------------------------------


def rules_of(policy: Policy) -> ComplaintRules:
    rules = policy.complaints
    if rules is None or policy.field_roles.complaint_details is None:
        raise InvalidInput([("purpose", "This policy keeps no complaints.")])
    return rules


def details_field(policy: Policy) -> str:
    name = policy.field_roles.complaint_details
    if name is None:
        raise InvalidInput([("purpose", "This policy keeps no complaints.")])
    return name


def _working_projection(policy: Policy, actor: Actor) -> Projection:
    """The complaints purpose as ``actor``'s role sees it; refused when the role may not act
    under it, and 422 on ``purpose`` when it does not show the role the complaint details."""
    rules = rules_of(policy)
    projection = projection_for(policy, actor.role, rules.purpose)
    if details_field(policy) not in projection.shown:
        raise InvalidInput(
            [("purpose", f"The {rules.purpose} purpose does not show you complaint details.")]
        )
    return projection


def _text(
    errors: list[tuple[str, str]], name: str, value: str, limit: int, *, required: bool
) -> str:
    text = value.replace("\r\n", "\n").strip()
    if not text:
        if required:
            errors.append((name, "Required."))
    elif len(text) > limit or not text.replace("\n", " ").replace("\t", " ").isprintable():
        errors.append((name, f"At most {limit} visible characters."))
    else:
        errors.extend(note_check.never_stored(name, text))
    return text


def _checked_open(
    command: OpenComplaint, rules: ComplaintRules, now: datetime
) -> tuple[ComplaintType, ComplaintDetails, datetime]:
    errors: list[tuple[str, str]] = []
    kind = rules.types.get(command.type)
    if kind is None:
        errors.append(("type", f"Choose one of: {', '.join(rules.types)}."))
    if command.channel not in CHANNELS:
        errors.append(("channel", f"Choose one of: {', '.join(CHANNELS)}."))
    summary = _text(errors, "summary", command.summary, SUMMARY_MAX, required=True)
    wanted = _text(errors, "desired_outcome", command.desired_outcome, TEXT_MAX, required=False)
    received = command.received_at or now
    if received.tzinfo is None:
        errors.append(("received_at", "Give the time with its offset from UTC."))
    elif received > now:
        errors.append(("received_at", "A complaint cannot be received in the future."))
    elif received < now - OLDEST:
        errors.append(("received_at", "Open complaints received in the last year only."))
    if errors or kind is None:
        raise InvalidInput(errors)
    return kind, ComplaintDetails(summary=summary, desired_outcome=wanted), received


# -- reads -------------------------------------------------------------------------------


def _view(
    uow: ComplaintUnitOfWork,
    policy: Policy,
    c: Complaint,
    now: datetime,
    *,
    projection: Projection,
    with_steps: bool = False,
    people: Directory | None = None,
    customer_name: str | None = None,
) -> ComplaintView:
    rules = rules_of(policy)
    kind = rules.types.get(c.type)
    opened = details_field(policy) in projection.shown
    people = people or directory(uow.staff)
    unresolved = c.state in UNRESOLVED
    nearly = rules.nearly_due_working_days

    def status(due: date, done_at: datetime | None) -> str:
        return deadline_status(
            due,
            done_at=done_at,
            stopped=not unresolved,
            now=now,
            nation=rules.nation,
            nearly_due_working_days=nearly,
        ).value

    final_done = c.resolved_at if not unresolved else None
    running = max((uk_date(now) - uk_date(c.on_hold_since)).days, 0) if c.on_hold_since else 0
    age = ageing(c.received_at, c.resolved_at or now, rules.nation)
    next_due = None
    if unresolved:
        next_due = c.acknowledge_due if c.acknowledged_at is None else c.final_response_due
    steps: tuple[StepView, ...] = ()
    if with_steps:
        steps = tuple(
            StepView(
                id=s.id,
                at=s.at,
                staff_id=s.staff_id,
                staff_name=people.label(s.staff_id),
                step=s.step,
                from_state=s.from_state.value if s.from_state else None,
                to_state=s.to_state.value,
                note=s.note if opened else None,
            )
            for s in uow.complaints.steps(c.id)
        )
    return ComplaintView(
        id=c.id,
        customer_id=c.customer_id,
        type=c.type,
        type_label=kind.label if kind else c.type,
        rule=kind.rule if kind else "",
        channel=c.channel,
        purpose=c.purpose,
        state=c.state.value,
        received_at=c.received_at,
        received_on=uk_date(c.received_at),
        opened_by=c.opened_by,
        opened_by_name=people.label(c.opened_by),
        owner_id=c.owner_id,
        owner_name=people.label(c.owner_id) if c.owner_id else None,
        interaction_id=c.interaction_id,
        acknowledge_due=c.acknowledge_due,
        acknowledge_status=status(c.acknowledge_due, c.acknowledged_at),
        final_response_due=c.final_response_due,
        final_response_status=status(c.final_response_due, final_done)
        if unresolved
        else deadline_status(
            c.final_response_due,
            done_at=c.resolved_at,
            stopped=True,
            now=now,
            nation=rules.nation,
            nearly_due_working_days=nearly,
        ).value,
        next_due=next_due,
        acknowledged_at=c.acknowledged_at,
        resolved_at=c.resolved_at,
        closed_at=c.closed_at,
        on_hold_since=c.on_hold_since,
        on_hold_days=running,
        held_days=c.held_days + running,
        hold_stops_clock=bool(kind and kind.hold_stops_clock),
        days_open=age.calendar_days,
        working_days_open=age.working_days,
        checklist=dict(c.checklist),
        customer_accepted=(c.customer_accepted or Accepted.UNKNOWN).value,
        changed_at=c.changed_at,
        allowed_moves=tuple(m.value for m in allowed_moves(c)),
        details=c.details if opened else None,
        steps=steps,
        customer_name=customer_name,
    )


def _read_in(
    uow: ComplaintUnitOfWork,
    actor: Actor,
    policy: Policy,
    found: Complaint,
    projection: Projection,
    now: datetime,
) -> ComplaintView:
    opened = details_field(policy) in projection.shown
    uow.audit.append(
        entry_for(
            actor,
            READ,
            customer_id=found.customer_id,
            purpose=projection.purpose,
            fields=(details_field(policy),) if opened else (),
            detail={"complaint_id": found.id},
        )
    )
    return _view(uow, policy, found, now, projection=projection, with_steps=True)
