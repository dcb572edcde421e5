"""The board lists everyone's open cases by their next deadline, filters the overdue and the
nearly due, by owner, type and state, pages by a cursor, shows each customer's name as the
complaints purpose shows it and names every customer shown in its one audit event."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.complaints import services as complaints
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.integration.complaints._cases import customer, open_case, step
from tests.integration.record_kinds._storage import audit_events


def _board(container, persona, **kwargs):
    return complaints.board(
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        **kwargs,
    )


def test_the_board_sorts_filters_and_pages(container, personas) -> None:
    first, second = customer(container, personas), customer(container, personas)
    general = open_case(container, personas.agent, first)  # ack due Wed 25 Nov
    service = open_case(container, personas.agent, second, type="service")  # Mon 30 Nov
    dp = open_case(container, personas.agent, second, type="data_protection")  # 23 Dec
    step(container, personas.agent, dp.id, "assign", owner_id=personas.supervisor.actor.id)
    done = open_case(container, personas.agent, first)
    step(container, personas.agent, done.id, "resolve")
    step(container, personas.agent, done.id, "close")

    page = _board(container, personas.agent)
    assert [v.id for v in page.items] == [general.id, service.id, dp.id]
    assert all(v.customer_name and v.customer_name.startswith("Qz") for v in page.items)
    event = audit_events(container, "complaints.board_read")[-1].entry
    assert set(event.detail["shown"].split(",")) == {first, second}

    # Thursday 26 November: the general acknowledgement is overdue, the service one nearly due.
    container.clock.advance(timedelta(days=3))
    assert [v.id for v in _board(container, personas.agent, due="overdue").items] == [general.id]
    nearly = _board(container, personas.agent, due="nearly_due").items
    assert [v.id for v in nearly] == [service.id]
    assert nearly[0].acknowledge_status == "nearly_due"
    mine = _board(container, personas.supervisor, owner_id=personas.supervisor.actor.id)
    assert [v.id for v in mine.items] == [dp.id]
    assert [v.id for v in _board(container, personas.agent, complaint_type="service").items] == [
        service.id
    ]
    assert [v.id for v in _board(container, personas.agent, state="closed").items] == [done.id]

    one = _board(container, personas.agent, limit=2)
    assert len(one.items) == 2 and one.next_cursor
    rest = _board(container, personas.agent, limit=2, cursor=one.next_cursor)
    assert [v.id for v in rest.items] == [dp.id] and rest.next_cursor is None


def test_the_board_refuses_bad_filters_and_roles_outside_the_purpose(container, personas) -> None:
    with pytest.raises(InvalidInput) as refused:
        _board(container, personas.agent, due="soon", state="lost", cursor="nonsense")
    assert {f for f, _ in refused.value.errors} >= {"due", "state"}
    with pytest.raises(InvalidInput):
        _board(container, personas.agent, cursor="bm9uc2Vuc2U")
    with pytest.raises(PermissionDenied):
        _board(container, personas.admin)
    assert audit_events(container, "complaints.board_read")[-1].entry.outcome == "denied"
