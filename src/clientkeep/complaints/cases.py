"""Complaint cases: opening one, each step of handling it, reading one, a customer's cases and
the board of everyone's by their next deadline.

Every case is held under the policy's complaints purpose, which uses the complaint-details
notes field; its words (summary, desired outcome, resolution, the steps' notes) are sealed
under the customer's key and shown only where the purpose read under shows that field. Its
deadlines are worked out from its type's rule when it is opened (and again when a hold the
rule excludes is released) and kept on the row, so the board sorts and filters in SQL.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import NoReturn

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import Outcome, entry_for
from clientkeep.complaints.clocks import (
    STATUS_WORDS,
    DeadlineStatus,
    Hold,
    ageing,
    calendar_days_held,
    clocks_for,
    deadline_status,
    nearly_due_until,
)
from clientkeep.complaints.model import (
    ACCEPTED,
    CHECKLIST,
    MOVES,
    NEEDS_REASON,
    OPENED,
    RECORDED,
    STATES,
    UNRESOLVED,
    Accepted,
    Complaint,
    ComplaintDetails,
    ComplaintStep,
    Move,
    State,
    allowed_moves,
    next_state,
)
from clientkeep.complaints.ports import BoardQuery, ComplaintUnitOfWork
from clientkeep.customers.errors import IdempotencyKeyReused
from clientkeep.customers.services import load_customer
from clientkeep.customers.shown import naming_shown
from clientkeep.customers.views import display_name, name_fields
from clientkeep.interactions import note_check
from clientkeep.interactions.vocabulary import CHANNELS
from clientkeep.policy.access import projection_for
from clientkeep.policy.complaint_rules import ComplaintRules, ComplaintType
from clientkeep.policy.model import Policy, Projection
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, NotFound, PermissionDenied
from clientkeep.shared.ids import new_id
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


# -- opening -----------------------------------------------------------------------------


def _fingerprint_source(command: OpenComplaint) -> str:
    return json.dumps(
        {
            "complaint": True,
            "customer_id": command.customer_id,
            "type": command.type,
            "summary": command.summary,
            "desired_outcome": command.desired_outcome,
            "channel": command.channel,
            "received_at": command.received_at.isoformat() if command.received_at else None,
            "interaction_id": command.interaction_id,
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def _keyed_id(uow: ComplaintUnitOfWork, actor: Actor, key: str) -> str:
    """The id a case opened with this member's Idempotency-Key gets: the same one every time,
    so a replay finds it; unguessable without the server's key."""
    digest = bytes.fromhex(uow.idempotency.fingerprint(f"complaint-id\x00{actor.id}\x00{key}"))
    return "cmp_" + base64.b32encode(digest[:15]).decode("ascii").lower()


class _KeyTakenMeanwhile(Exception):
    """A concurrent request with the same Idempotency-Key committed first."""


@records_denials(OPENED_ACTION)
def open_complaint(
    command: OpenComplaint,
    *,
    uow: ComplaintUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    idempotency_key: str | None = None,
) -> ComplaintView:
    """Open a case for the customer, its deadlines worked out from its type's rule. With an
    Idempotency-Key, the same request again answers with the case it opened."""
    try:
        return _open_once(
            command, uow=uow, actor=actor, policy=policy, clock=clock, key=idempotency_key
        )
    except _KeyTakenMeanwhile:
        return _open_once(
            command, uow=uow, actor=actor, policy=policy, clock=clock, key=idempotency_key
        )


def _open_once(
    command: OpenComplaint,
    *,
    uow: ComplaintUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    key: str | None,
) -> ComplaintView:
    projection = _working_projection(policy, actor)
    rules = rules_of(policy)
    now = clock.now()
    kind, details, received = _checked_open(command, rules, now)
    remembered = "complaint\x00" + key if key is not None else None
    with uow:
        uow.customers.lock([command.customer_id])
        customer = load_customer(uow, command.customer_id)
        fingerprint = ""
        if remembered is not None and key is not None:
            fingerprint = uow.idempotency.fingerprint(_fingerprint_source(command))
            seen = uow.idempotency.recall(actor.id, remembered)
            if seen is not None:
                if seen[0] != fingerprint:
                    raise IdempotencyKeyReused()
                replayed = uow.complaints.get(_keyed_id(uow, actor, key))
                if replayed is None:
                    raise NotFound("No such complaint.")
                view = _read_in(uow, actor, policy, replayed, projection, now)
                uow.commit()
                return replace(view, replayed=True)
        if command.interaction_id is not None and (
            uow.complaints.interaction_customer(command.interaction_id) != customer.id
        ):
            raise InvalidInput([("interaction_id", "No such contact with this customer.")])
        clocks = clocks_for(kind, received, rules.nation)
        complaint = Complaint(
            id=_keyed_id(uow, actor, key) if key is not None else new_id("cmp"),
            customer_id=customer.id,
            type=kind.name,
            channel=command.channel,
            purpose=rules.purpose,
            state=State.RECEIVED,
            received_at=received,
            opened_by=actor.id,
            owner_id=None,
            interaction_id=command.interaction_id,
            acknowledge_due=clocks.acknowledge_due,
            final_response_due=clocks.final_response_due,
            acknowledged_at=None,
            resolved_at=None,
            closed_at=None,
            on_hold_since=None,
            held_days=0,
            checklist=dict.fromkeys(CHECKLIST, False),
            customer_accepted=None,
            changed_at=now,
            details=details,
        )
        # The key goes first: a concurrent request with it for another customer (not held
        # back by this customer's lock) waits on the key, then replays or is refused, rather
        # than colliding with this one on the id both derive from it.
        if remembered is not None and not uow.idempotency.remember(
            actor.id, remembered, fingerprint, customer.id, now
        ):
            raise _KeyTakenMeanwhile()
        uow.complaints.add(complaint)
        uow.complaints.add_step(
            ComplaintStep(
                id=new_id("cmp"),
                complaint_id=complaint.id,
                customer_id=customer.id,
                at=now,
                staff_id=actor.id,
                step=OPENED,
                from_state=None,
                to_state=State.RECEIVED,
            )
        )
        uow.audit.append(
            entry_for(
                actor,
                OPENED_ACTION,
                customer_id=customer.id,
                purpose=rules.purpose,
                fields=(details_field(policy),),
                detail={"complaint_id": complaint.id, "type": kind.name},
            )
        )
        view = _view(uow, policy, complaint, now, projection=projection)
        uow.commit()
    return view


# -- moves -------------------------------------------------------------------------------


def _checked_move(command: MoveComplaint) -> tuple[Move, str, str]:
    errors: list[tuple[str, str]] = []
    if command.step not in MOVES:
        raise InvalidInput([("step", f"Choose one of: {', '.join(MOVES)}.")])
    move = Move(command.step)
    name = "note" if move is Move.NOTE else "reason"
    note = _text(errors, name, command.note, NOTE_MAX, required=move in NEEDS_REASON)
    resolution = ""
    if move is Move.RESOLVE:
        resolution = _text(errors, "resolution", command.resolution, TEXT_MAX, required=True)
        checklist = command.checklist
        if checklist is None:
            errors.append(("checklist", "Say which of the handling steps were done."))
        else:
            unknown = set(checklist) - set(CHECKLIST)
            if unknown or set(CHECKLIST) - set(checklist):
                errors.append(("checklist", f"Give each of: {', '.join(CHECKLIST)}."))
        if command.customer_accepted not in ACCEPTED:
            errors.append(("customer_accepted", f"Choose one of: {', '.join(ACCEPTED)}."))
    if errors:
        raise InvalidInput(errors)
    return move, note, resolution


def _holds_of(steps: Sequence[ComplaintStep]) -> list[Hold]:
    """Each released hold as (UK date held, UK date released), from the case's steps."""
    holds: list[Hold] = []
    start: date | None = None
    for step in steps:
        if step.step == RECORDED[Move.HOLD]:
            start = uk_date(step.at)
        elif step.step == RECORDED[Move.RELEASE] and start is not None:
            holds.append((start, uk_date(step.at)))
            start = None
    return holds


@records_denials(MOVED)
def move(
    complaint_id: str,
    command: MoveComplaint,
    *,
    uow: ComplaintUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> ComplaintView:
    """One step of handling a case: a state's move, a hold or its release, an owner, a note.
    An illegal move is a conflict naming the state the case is in."""
    projection = _working_projection(policy, actor)
    rules = rules_of(policy)
    step, note, resolution = _checked_move(command)
    now = clock.now()
    with uow:
        found = uow.complaints.get(complaint_id)
        locked: set[str] = set()
        # Lock the customer the case belongs to, then read it again; a merge committed in
        # between gave it to another customer, whose lock this move must hold instead.
        while found is not None and found.customer_id not in locked:
            uow.customers.lock([found.customer_id])
            locked.add(found.customer_id)
            found = uow.complaints.get(complaint_id)
        if found is None:
            raise NotFound("No such complaint.")
        load_customer(uow, found.customer_id)
        kind = rules.types.get(found.type)
        if kind is None:
            raise InvalidInput([("type", "The policy no longer declares this complaint's type.")])
        target = next_state(found, step)
        changed = replace(found, state=target, changed_at=now)
        if step is Move.ACKNOWLEDGE:
            changed = replace(changed, acknowledged_at=now)
        elif step is Move.HOLD:
            changed = replace(changed, on_hold_since=now)
        elif step is Move.ASSIGN:
            if command.owner_id is not None:
                member = uow.staff.get(command.owner_id)
                if member is None or not member.active:
                    raise InvalidInput([("owner_id", "No such active member of staff.")])
            changed = replace(changed, owner_id=command.owner_id)
        elif step is Move.RESOLVE:
            assert command.checklist is not None and found.details is not None
            acknowledged = found.acknowledged_at
            if (
                acknowledged is None
                and kind.outcome_acknowledges
                and uk_date(now) <= found.acknowledge_due
            ):
                acknowledged = now  # an outcome in time needs no separate acknowledgement
            changed = replace(
                changed,
                resolved_at=now,
                acknowledged_at=acknowledged,
                checklist={k: bool(command.checklist[k]) for k in CHECKLIST},
                customer_accepted=Accepted(command.customer_accepted or "unknown"),
                details=replace(found.details, resolution=resolution),
            )
        elif step is Move.CLOSE:
            changed = replace(changed, closed_at=now)
        elif step is Move.REOPEN:
            # The clocks run on from receipt: nothing restarts them.
            changed = replace(changed, resolved_at=None, closed_at=None)
        earlier = uow.complaints.steps(found.id)
        # Steps keep their order even within one tick of the clock.
        at = max(now, earlier[-1].at + timedelta(microseconds=1)) if earlier else now
        made = ComplaintStep(
            id=new_id("cmp"),
            complaint_id=found.id,
            customer_id=found.customer_id,
            at=at,
            staff_id=actor.id,
            step=RECORDED[step],
            from_state=found.state,
            to_state=target,
            note=note or None,
        )
        if step is Move.RELEASE:
            holds = _holds_of([*earlier, made])
            clocks = clocks_for(kind, found.received_at, rules.nation, holds)
            changed = replace(
                changed,
                on_hold_since=None,
                held_days=calendar_days_held(holds),
                acknowledge_due=clocks.acknowledge_due,
                final_response_due=clocks.final_response_due,
            )
        uow.complaints.save(changed)
        uow.complaints.add_step(made)
        uow.audit.append(
            entry_for(
                actor,
                MOVED,
                customer_id=found.customer_id,
                purpose=found.purpose,
                fields=(details_field(policy),) if note or resolution else (),
                detail={"complaint_id": found.id, "step": step.value, "to": target.value},
            )
        )
        view = _view(uow, policy, changed, now, projection=projection, with_steps=True)
        uow.commit()
    return view


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


def complaint_detail(
    complaint_id: str, *, uow: ComplaintUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> ComplaintView:
    """One case with its steps, read under its own purpose; audited naming the customer."""
    now = clock.now()
    with uow:
        found = uow.complaints.get(complaint_id)
        if found is None:
            raise NotFound("No such complaint.")
        try:
            projection = projection_for(policy, actor.role, found.purpose)
        except PermissionDenied as refused:
            _refuse_read(uow, actor, found, refused)
        view = _read_in(uow, actor, policy, found, projection, now)
        uow.commit()
    return view


def _refuse_read(
    uow: ComplaintUnitOfWork, actor: Actor, found: Complaint, refused: Exception
) -> NoReturn:
    uow.audit.append(
        entry_for(
            actor,
            READ,
            outcome=Outcome.DENIED,
            customer_id=found.customer_id,
            purpose=found.purpose,
            detail={"refused": getattr(refused, "code", "denied"), "complaint_id": found.id},
        )
    )
    uow.commit()
    raise refused


@records_denials(CUSTOMER_READ, customer="customer_id")
def customer_complaints(
    customer_id: str,
    *,
    purpose: str,
    uow: ComplaintUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> list[ComplaintView]:
    """The customer's cases, newest first; their words only where ``purpose`` shows the
    complaint details. Audited naming the customer and the field shown."""
    projection = projection_for(policy, actor.role, purpose)
    now = clock.now()
    field_name = policy.field_roles.complaint_details
    opened = field_name is not None and field_name in projection.shown
    with uow:
        load_customer(uow, customer_id)
        found = uow.complaints.for_customer(customer_id) if policy.complaints else []
        people = directory(uow.staff)
        views = [
            _view(uow, policy, c, now, projection=projection, people=people, with_steps=True)
            for c in sorted(found, key=lambda c: (c.received_at, c.id), reverse=True)
        ]
        uow.audit.append(
            entry_for(
                actor,
                CUSTOMER_READ,
                customer_id=customer_id,
                purpose=projection.purpose,
                fields=(field_name,) if opened and field_name and found else (),
                detail={"complaints": len(found)},
            )
        )
        uow.commit()
    return views


def encode_cursor(due: date, complaint_id: str) -> str:
    raw = f"{due.isoformat()}|{complaint_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


_COMPLAINT_ID = re.compile(r"cmp_[a-z2-7]{1,28}")


def decode_cursor(cursor: str | None) -> tuple[date, str] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        due, sep, complaint_id = raw.partition("|")
        if not sep or not _COMPLAINT_ID.fullmatch(complaint_id):
            raise ValueError(cursor)
        return date.fromisoformat(due), complaint_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput([("cursor", "The cursor is not one this server issued.")]) from None


@records_denials(BOARD_READ)
def board(
    *,
    state: str | None = None,
    due: str | None = None,
    owner_id: str | None = None,
    complaint_type: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
    uow: ComplaintUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> BoardPage:
    """Everyone's cases (all but closed ones unless ``state`` says), by their next deadline;
    ``due`` keeps only the overdue or nearly-due of those awaiting a final response. Each
    shows its customer's name as the complaints purpose shows it; every customer shown is
    audited by id."""
    projection = _working_projection(policy, actor)
    rules = rules_of(policy)
    errors: list[tuple[str, str]] = []
    if state is not None and state not in STATES:
        errors.append(("state", f"Choose one of: {', '.join(STATES)}."))
    if due is not None and due not in DUE_FILTERS:
        errors.append(("due", f"Choose one of: {', '.join(DUE_FILTERS)}."))
    if complaint_type is not None and complaint_type not in rules.types:
        errors.append(("type", f"Choose one of: {', '.join(rules.types)}."))
    if not 1 <= limit <= PAGE_MAX:
        errors.append(("limit", f"Between 1 and {PAGE_MAX}."))
    if errors:
        raise InvalidInput(errors)
    after = decode_cursor(cursor)
    now = clock.now()
    states = (
        (State(state),) if state is not None else tuple(s for s in State if s is not State.CLOSED)
    )
    query = BoardQuery(
        states=states,
        due=due,
        owner_id=owner_id,
        type=complaint_type,
        today=uk_date(now),
        nearly_until=nearly_due_until(now, rules.nation, rules.nearly_due_working_days),
        limit=limit + 1,
        after=after,
    )
    names = name_fields(projection)
    with uow:
        found = uow.complaints.board(query)
        page, more = found[:limit], len(found) > limit
        people = directory(uow.staff)
        ids = sorted({c.customer_id for c in page})
        customers = {c.id: c for c in uow.customers.get_many(ids, fields=names)}
        shown_names = tuple(sorted(names))
        uow.audit.append(
            naming_shown(
                entry_for(
                    actor,
                    BOARD_READ,
                    purpose=projection.purpose,
                    fields=shown_names,
                    detail={"complaints": len(page), "due": due, "state": state},
                ),
                dict.fromkeys(
                    (c.customer_id for c in page if c.customer_id in customers), shown_names
                ),
            )
        )
        items = [
            _view(
                uow,
                policy,
                c,
                now,
                projection=projection,
                people=people,
                customer_name=display_name(customers[c.customer_id], projection)
                if c.customer_id in customers
                else None,
            )
            for c in page
        ]
        uow.commit()
    last = page[-1] if more and page else None
    return BoardPage(
        items=items,
        next_cursor=encode_cursor(_sort_key(last), last.id) if last else None,
    )


def _sort_key(c: Complaint) -> date:
    return c.acknowledge_due if c.acknowledged_at is None else c.final_response_due
