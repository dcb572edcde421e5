"""A complaint and the steps of handling it.

A case is received, acknowledged, investigated (or escalated), resolved and closed; each step
is a row saying who did it, when, and from which state to which. A case may be put on hold
(with a reason) and released; reopening a resolved or closed case sends it back to
investigation, and its clocks run on from where they were, never afresh.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from clientkeep.shared.errors import Conflict


class State(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    INVESTIGATING = "investigating"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    CLOSED = "closed"


STATES = tuple(s.value for s in State)
# Cases still awaiting their final response.
UNRESOLVED = frozenset({State.RECEIVED, State.ACKNOWLEDGED, State.INVESTIGATING, State.ESCALATED})


class Move(StrEnum):
    """What a member of staff may do to a case."""

    ACKNOWLEDGE = "acknowledge"
    INVESTIGATE = "investigate"
    ESCALATE = "escalate"
    HOLD = "hold"
    RELEASE = "release"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"
    ASSIGN = "assign"
    NOTE = "note"


MOVES = tuple(m.value for m in Move)

# The step a move records ("opened" is recorded when a case is opened).
OPENED = "opened"
RECORDED = {
    Move.ACKNOWLEDGE: "acknowledged",
    Move.INVESTIGATE: "investigating",
    Move.ESCALATE: "escalated",
    Move.HOLD: "held",
    Move.RELEASE: "released",
    Move.RESOLVE: "resolved",
    Move.CLOSE: "closed",
    Move.REOPEN: "reopened",
    Move.ASSIGN: "assigned",
    Move.NOTE: "noted",
}

# Moves that change the state: from which states, to which.
TRANSITIONS: Mapping[Move, tuple[frozenset[State], State]] = {
    Move.ACKNOWLEDGE: (frozenset({State.RECEIVED}), State.ACKNOWLEDGED),
    Move.INVESTIGATE: (
        frozenset({State.RECEIVED, State.ACKNOWLEDGED, State.ESCALATED}),
        State.INVESTIGATING,
    ),
    Move.ESCALATE: (
        frozenset({State.RECEIVED, State.ACKNOWLEDGED, State.INVESTIGATING}),
        State.ESCALATED,
    ),
    Move.RESOLVE: (UNRESOLVED, State.RESOLVED),
    Move.CLOSE: (frozenset({State.RESOLVED}), State.CLOSED),
    Move.REOPEN: (frozenset({State.RESOLVED, State.CLOSED}), State.INVESTIGATING),
}
# Moves that need a reason (the note), and moves a case on hold still allows.
NEEDS_REASON = frozenset({Move.ESCALATE, Move.HOLD, Move.REOPEN, Move.NOTE})
WHILE_ON_HOLD = frozenset({Move.RELEASE, Move.ASSIGN, Move.NOTE})


class Accepted(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"  # not asked, or no answer yet


ACCEPTED = tuple(a.value for a in Accepted)
# The handling checklist, in the order it is worked through.
CHECKLIST = ("listened", "apologised", "solution_offered", "thanked")
CHECKLIST_LABELS = {
    "listened": "Listened to the customer",
    "apologised": "Apologised",
    "solution_offered": "Offered a solution",
    "thanked": "Thanked the customer",
}


class IllegalMove(Conflict):
    code = "illegal_move"


@dataclass(frozen=True, slots=True)
class ComplaintDetails:
    """What the customer complained of and wants done, and how it was resolved: words about a
    person, sealed together under the customer's key."""

    summary: str = field(repr=False)
    desired_outcome: str = field(repr=False)
    resolution: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class Complaint:
    id: str
    customer_id: str
    type: str
    channel: str
    purpose: str
    state: State
    received_at: datetime
    opened_by: str
    owner_id: str | None
    interaction_id: str | None
    acknowledge_due: date
    final_response_due: date
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    on_hold_since: datetime | None
    # Calendar days on hold, holds released so far.
    held_days: int
    checklist: Mapping[str, bool]
    customer_accepted: Accepted | None
    changed_at: datetime
    # None where the row was read without opening its sealed words (the board, reports).
    details: ComplaintDetails | None = field(repr=False)


@dataclass(frozen=True, slots=True)
class ComplaintStep:
    id: str
    complaint_id: str
    customer_id: str
    at: datetime
    staff_id: str
    step: str
    from_state: State | None
    to_state: State
    note: str | None = field(default=None, repr=False)


def allowed_moves(complaint: Complaint) -> tuple[Move, ...]:
    """The moves the case's state allows now, in the order a screen offers them."""
    found = []
    for move in Move:
        try:
            next_state(complaint, move)
        except IllegalMove:
            continue
        found.append(move)
    return tuple(found)


def next_state(complaint: Complaint, move: Move) -> State:
    """The state ``move`` leaves the case in, or ``IllegalMove`` naming the state it is in."""
    state = complaint.state
    on_hold = complaint.on_hold_since is not None
    if move is Move.HOLD and on_hold:
        raise IllegalMove("The complaint is already on hold.")
    if on_hold and move not in WHILE_ON_HOLD:
        raise IllegalMove(f"The complaint is on hold ({state.value}): release it first.")
    if move is Move.HOLD:
        if state not in UNRESOLVED:
            raise IllegalMove(f"A {state.value} complaint cannot be put on hold.")
        return state
    if move is Move.RELEASE:
        if not on_hold:
            raise IllegalMove(f"The complaint is not on hold ({state.value}).")
        return state
    if move is Move.ASSIGN:
        if state is State.CLOSED:
            raise IllegalMove("A closed complaint cannot be assigned: reopen it first.")
        return state
    if move is Move.NOTE:
        return state
    sources, target = TRANSITIONS[move]
    if state not in sources:
        raise IllegalMove(f"A {state.value} complaint cannot be moved to {target.value}.")
    return target
