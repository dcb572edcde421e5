"""Complaint cases: opening one and each step of handling it.

A case's deadlines are worked out from its type's rule when it is opened (and again when a
hold the rule excludes is released) and kept on the row, so the board sorts and filters in
SQL. Views and shared checks are in ``case_views``, reads in ``case_reads``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.complaints.case_views import (
    MOVED,
    NOTE_MAX,
    OPENED_ACTION,
    TEXT_MAX,
    ComplaintView,
    MoveComplaint,
    OpenComplaint,
    _checked_open,
    _read_in,
    _text,
    _view,
    _working_projection,
    details_field,
    rules_of,
)
from clientkeep.complaints.clocks import (
    Hold,
    calendar_days_held,
    clocks_for,
)
from clientkeep.complaints.model import (
    ACCEPTED,
    CHECKLIST,
    MOVES,
    NEEDS_REASON,
    OPENED,
    RECORDED,
    Accepted,
    Complaint,
    ComplaintStep,
    Move,
    State,
    next_state,
)
from clientkeep.complaints.ports import ComplaintUnitOfWork
from clientkeep.customers import keyed_creation
from clientkeep.customers.services import load_customer
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, NotFound
from clientkeep.shared.ids import new_id
from clientkeep.shared.uk_time import uk_date

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
    return keyed_creation.once(
        lambda: _open_once(
            command, uow=uow, actor=actor, policy=policy, clock=clock, key=idempotency_key
        )
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
    with uow:
        uow.customers.lock([command.customer_id])
        customer = load_customer(uow, command.customer_id)
        keyed = keyed_creation.begin(
            uow,
            actor,
            kind="complaint",
            prefix="cmp",
            key=key,
            request=_fingerprint_source(command),
            customer_id=customer.id,
        )
        if keyed.replay:
            replayed = uow.complaints.get(keyed.record_id)
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
            id=keyed.record_id,
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
        keyed_creation.finish(uow, actor, keyed, customer.id, now)
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
