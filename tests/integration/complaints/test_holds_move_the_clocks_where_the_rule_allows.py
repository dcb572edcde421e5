"""A hold is shown with its running days; on release the days held are kept, and where the
type's rule stops the clock the deadlines move on by them (working days for a working-day
rule), stored on the row so the board sorts by them."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from clientkeep.adapters.db.contact_tables import complaint
from tests.integration.complaints._cases import customer, open_case, step


def _stored(container, complaint_id):
    with container.engine.connect() as conn:
        return conn.execute(select(complaint).where(complaint.c.id == complaint_id)).one()


def test_a_service_hold_moves_both_deadlines_by_the_working_days_held(container, personas) -> None:
    customer_id = customer(container, personas)
    made = open_case(container, personas.agent, customer_id, type="service")
    assert made.acknowledge_due == date(2026, 11, 30)
    # Held Mon 23 Nov; a week later (Mon 30 Nov) it is still on hold.
    held = step(container, personas.agent, made.id, "hold", note="waiting for the statement")
    assert held.on_hold_since is not None and held.on_hold_days == 0
    container.clock.advance(timedelta(days=7))
    from clientkeep.complaints import services as complaints

    running = complaints.complaint_detail(
        made.id,
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert running.on_hold_days == 7 and running.held_days == 7
    released = step(container, personas.agent, made.id, "release")
    # Five working days held (23-27 Nov): each deadline moves on by five working days.
    assert released.on_hold_since is None and released.held_days == 7
    assert released.acknowledge_due == date(2026, 12, 7)
    assert released.final_response_due == date(2026, 12, 30)  # past the Christmas holidays
    row = _stored(container, made.id)
    assert (row.acknowledge_due, row.final_response_due, row.held_days) == (
        date(2026, 12, 7),
        date(2026, 12, 30),
        7,
    )


def test_a_general_hold_is_shown_but_does_not_stop_the_eight_weeks(container, personas) -> None:
    customer_id = customer(container, personas)
    made = open_case(container, personas.agent, customer_id)
    step(container, personas.agent, made.id, "hold", note="waiting for the customer")
    container.clock.advance(timedelta(days=3))
    released = step(container, personas.agent, made.id, "release")
    assert released.held_days == 3
    assert (released.acknowledge_due, released.final_response_due) == (
        made.acknowledge_due,
        made.final_response_due,
    )


def test_two_holds_add_up(container, personas) -> None:
    customer_id = customer(container, personas)
    made = open_case(container, personas.agent, customer_id, type="service")
    for days in (1, 2):
        step(container, personas.agent, made.id, "hold", note="waiting")
        container.clock.advance(timedelta(days=days))
        released = step(container, personas.agent, made.id, "release")
    # Mon 23 held one day, Tue 24 to Thu 26 two: three working days held.
    assert released.held_days == 3
    assert released.acknowledge_due == date(2026, 12, 3)
