"""A case is opened with its deadlines from its type's rule and worked through, every step
timed, attributed and audited; illegal moves are conflicts naming the state, missing reasons
are refused on the field, and an Idempotency-Key replays the case it opened."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from clientkeep.adapters.db.contact_tables import complaint, complaint_step
from clientkeep.customers.errors import IdempotencyKeyReused
from clientkeep.shared.errors import Conflict, InvalidInput, NotFound
from tests.integration.complaints._cases import customer, open_case, step
from tests.integration.record_kinds._storage import audit_events


def test_opening_works_out_the_deadlines_and_seals_the_words(container, personas) -> None:
    customer_id = customer(container, personas)
    # Monday 23 November 2026, 09:30 UTC.
    general = open_case(container, personas.agent, customer_id)
    assert (general.acknowledge_due, general.final_response_due) == (
        date(2026, 11, 25),
        date(2027, 1, 18),
    )
    # Two working days away: nearly due from the start.
    assert general.state == "received" and general.acknowledge_status == "nearly_due"
    assert general.final_response_status == "due"
    assert general.details is not None and general.details.summary.startswith("The bill")
    service = open_case(container, personas.agent, customer_id, type="service")
    assert (service.acknowledge_due, service.final_response_due) == (
        date(2026, 11, 30),
        date(2026, 12, 21),
    )
    dp = open_case(container, personas.agent, customer_id, type="data_protection")
    assert dp.final_response_due == date(2026, 12, 23)
    with container.engine.connect() as conn:
        rows = conn.execute(select(complaint.c.details, complaint.c.acknowledge_due)).all()
    assert len(rows) == 3 and all(b"bill" not in r.details for r in rows)
    event = audit_events(container, "complaint.opened", customer_id)[-1].entry
    assert event.fields == ("complaint_details",) and event.purpose == "complaints"


def test_a_case_received_earlier_counts_from_its_day_of_receipt(container, personas) -> None:
    customer_id = customer(container, personas)
    made = open_case(
        container,
        personas.agent,
        customer_id,
        received_at=datetime(2026, 11, 20, 23, 30, tzinfo=UTC),  # Friday night
    )
    assert made.acknowledge_due == date(2026, 11, 24)
    assert made.days_open == 3 and made.working_days_open == 1


def test_what_opening_refuses(container, personas) -> None:
    customer_id = customer(container, personas)
    future = container.clock.now() + timedelta(hours=1)
    with pytest.raises(InvalidInput) as refused:
        open_case(
            container,
            personas.agent,
            customer_id,
            type="nonsense",
            summary="  ",
            channel="pigeon",
            received_at=future,
        )
    assert {f for f, _ in refused.value.errors} == {"type", "summary", "channel", "received_at"}
    with pytest.raises(NotFound):
        open_case(container, personas.agent, "cus_nosuchcustomerxxxxxxxxxx")
    with pytest.raises(InvalidInput) as refused:
        open_case(container, personas.agent, customer_id, interaction_id="int_notonexxxxxxxxxx")
    assert refused.value.errors[0][0] == "interaction_id"


def test_a_case_is_worked_through_and_each_step_recorded(container, personas) -> None:
    customer_id = customer(container, personas)
    made = open_case(container, personas.agent, customer_id)
    assert step(container, personas.agent, made.id, "acknowledge").state == "acknowledged"
    container.clock.advance(timedelta(days=1))
    step(container, personas.agent, made.id, "assign", owner_id=personas.supervisor.actor.id)
    step(container, personas.supervisor, made.id, "investigate")
    escalated = step(container, personas.supervisor, made.id, "escalate", note="needs a manager")
    assert escalated.state == "escalated"
    resolved = step(container, personas.supervisor, made.id, "resolve")
    assert resolved.state == "resolved" and resolved.customer_accepted == "yes"
    assert resolved.acknowledge_status == "met" and resolved.final_response_status == "met"
    assert resolved.details is not None and resolved.details.resolution == (
        "Refunded the second charge."
    )
    assert resolved.owner_name is not None and "supervisor.one" in resolved.owner_name
    closed = step(container, personas.supervisor, made.id, "close")
    assert closed.allowed_moves == ("reopen", "note")
    reopened = step(container, personas.supervisor, made.id, "reopen", note="customer came back")
    # The clocks run on: nothing restarted them.
    assert reopened.state == "investigating"
    assert reopened.final_response_due == made.final_response_due
    assert [s.step for s in reopened.steps] == [
        "opened",
        "acknowledged",
        "assigned",
        "investigating",
        "escalated",
        "resolved",
        "closed",
        "reopened",
    ]
    assert reopened.steps[4].note == "needs a manager"
    assert {s.staff_id for s in reopened.steps} == {
        personas.agent.actor.id,
        personas.supervisor.actor.id,
    }
    with container.engine.connect() as conn:
        notes = conn.execute(select(complaint_step.c.note)).scalars().all()
    assert all(n is None or b"manager" not in n for n in notes)
    assert len(audit_events(container, "complaint.moved", customer_id)) == 7


def test_illegal_moves_are_conflicts_and_reasons_are_required(container, personas) -> None:
    customer_id = customer(container, personas)
    made = open_case(container, personas.agent, customer_id)
    with pytest.raises(Conflict, match="received"):
        step(container, personas.agent, made.id, "close")
    for name, field in [("hold", "reason"), ("escalate", "reason"), ("note", "note")]:
        with pytest.raises(InvalidInput) as refused:
            step(container, personas.agent, made.id, name)
        assert refused.value.errors[0][0] == field
    with pytest.raises(InvalidInput) as refused:
        step(container, personas.agent, made.id, "resolve", resolution="", checklist=None)
    assert {f for f, _ in refused.value.errors} >= {"resolution", "checklist"}
    step(container, personas.agent, made.id, "hold", note="waiting for the statement")
    with pytest.raises(Conflict, match="on hold"):
        step(container, personas.agent, made.id, "resolve")
    with pytest.raises(InvalidInput):
        step(container, personas.agent, made.id, "assign", owner_id="stf_nobodyxxxxxxxxxxxxxxx")
    with pytest.raises(NotFound):
        step(container, personas.agent, "cmp_nosuchxxxxxxxxxxxxxxxxx", "acknowledge")


def test_an_outcome_in_time_acknowledges_where_the_rule_says(container, personas) -> None:
    customer_id = customer(container, personas)
    dp = open_case(container, personas.agent, customer_id, type="data_protection")
    general = open_case(container, personas.agent, customer_id)
    assert step(container, personas.agent, dp.id, "resolve").acknowledge_status == "met"
    assert step(container, personas.agent, general.id, "resolve").acknowledge_status == "missed"


def test_an_idempotency_key_replays_the_case_it_opened(container, personas) -> None:
    customer_id = customer(container, personas)
    first = open_case(container, personas.agent, customer_id, idempotency_key="k-1")
    again = open_case(container, personas.agent, customer_id, idempotency_key="k-1")
    assert again.id == first.id
    with container.engine.connect() as conn:
        assert len(conn.execute(select(complaint.c.id)).all()) == 1
    with pytest.raises(IdempotencyKeyReused):
        open_case(container, personas.agent, customer_id, idempotency_key="k-1", summary="other")
    other = open_case(container, personas.supervisor, customer_id, idempotency_key="k-1")
    assert other.id != first.id


def test_reading_a_case_is_audited_and_a_role_outside_its_purpose_refused(
    container, personas
) -> None:
    from clientkeep.complaints import services as complaints
    from clientkeep.shared.errors import PermissionDenied

    customer_id = customer(container, personas)
    made = open_case(container, personas.agent, customer_id)

    def read(persona):
        return complaints.complaint_detail(
            made.id,
            uow=container.uow(),
            actor=persona.actor,
            policy=container.policy,
            clock=container.clock,
        )

    assert read(personas.supervisor).details is not None
    event = audit_events(container, "complaint.read", customer_id)[-1].entry
    assert (event.outcome, event.fields) == ("success", ("complaint_details",))
    with pytest.raises(PermissionDenied):
        read(personas.admin)
    event = audit_events(container, "complaint.read", customer_id)[-1].entry
    assert (event.outcome, event.actor_id) == ("denied", personas.admin.actor.id)
