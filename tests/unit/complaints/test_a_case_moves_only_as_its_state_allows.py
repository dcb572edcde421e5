"""A case moves received -> acknowledged -> investigating (or escalated) -> resolved -> closed;
a hold is taken and released in any unresolved state and blocks every move but release,
assign and note; reopening sends a resolved or closed case back to investigation."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from clientkeep.complaints.model import (
    Complaint,
    IllegalMove,
    Move,
    State,
    allowed_moves,
    next_state,
)
from clientkeep.shared.errors import Conflict

NOW = datetime(2026, 12, 1, 10, tzinfo=UTC)


def case(state: State, *, on_hold: bool = False) -> Complaint:
    return Complaint(
        id="cmp_x",
        customer_id="cus_x",
        type="general",
        channel="phone",
        purpose="complaints",
        state=state,
        received_at=NOW,
        opened_by="stf_x",
        owner_id=None,
        interaction_id=None,
        acknowledge_due=date(2026, 12, 3),
        final_response_due=date(2027, 1, 26),
        acknowledged_at=None,
        resolved_at=None,
        closed_at=None,
        on_hold_since=NOW if on_hold else None,
        held_days=0,
        checklist={},
        customer_accepted=None,
        changed_at=NOW,
        details=None,
    )


def test_the_happy_path() -> None:
    c = case(State.RECEIVED)
    for move, expected in [
        (Move.ACKNOWLEDGE, State.ACKNOWLEDGED),
        (Move.INVESTIGATE, State.INVESTIGATING),
        (Move.ESCALATE, State.ESCALATED),
        (Move.RESOLVE, State.RESOLVED),
        (Move.CLOSE, State.CLOSED),
        (Move.REOPEN, State.INVESTIGATING),
    ]:
        got = next_state(c, move)
        assert got is expected
        c = replace(c, state=got)


def test_an_illegal_move_is_a_conflict_naming_the_state() -> None:
    with pytest.raises(IllegalMove, match="received") as refused:
        next_state(case(State.RECEIVED), Move.CLOSE)
    assert isinstance(refused.value, Conflict)
    with pytest.raises(IllegalMove, match="closed"):
        next_state(case(State.CLOSED), Move.HOLD)
    with pytest.raises(IllegalMove, match="resolved"):
        next_state(case(State.RESOLVED), Move.ACKNOWLEDGE)


def test_a_case_on_hold_allows_only_release_assign_and_note() -> None:
    held = case(State.INVESTIGATING, on_hold=True)
    assert allowed_moves(held) == (Move.RELEASE, Move.ASSIGN, Move.NOTE)
    with pytest.raises(IllegalMove, match="on hold"):
        next_state(held, Move.RESOLVE)
    with pytest.raises(IllegalMove, match="already on hold"):
        next_state(held, Move.HOLD)
    assert next_state(held, Move.RELEASE) is State.INVESTIGATING


def test_release_needs_a_hold_and_a_closed_case_is_not_assigned() -> None:
    with pytest.raises(IllegalMove, match="not on hold"):
        next_state(case(State.RECEIVED), Move.RELEASE)
    with pytest.raises(IllegalMove):
        next_state(case(State.CLOSED), Move.ASSIGN)


def test_the_moves_offered_are_those_the_state_allows() -> None:
    assert allowed_moves(case(State.RESOLVED)) == (
        Move.CLOSE,
        Move.REOPEN,
        Move.ASSIGN,
        Move.NOTE,
    )
    assert Move.HOLD in allowed_moves(case(State.RECEIVED))
