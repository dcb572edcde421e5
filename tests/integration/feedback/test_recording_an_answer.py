"""Recording a customer's answer: one whole-number score in its scale's range, linked to one
of the customer's own contacts (whose channel, category and member of staff it takes), under a
purpose that uses feedback, never dated in the future, audited naming the feedback field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from clientkeep.adapters.db.contact_tables import feedback as feedback_table
from clientkeep.customers.errors import IdempotencyKeyReused
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.integration.feedback._making import a_contact, a_customer, record
from tests.integration.record_kinds._storage import audit_events


def test_an_answer_linked_to_a_contact_rates_that_contact_and_its_member(
    container, personas
) -> None:
    customer = a_customer(container, personas.agent)
    contact = a_contact(
        container, customer, personas.supervisor.actor.id, channel="email", category="request"
    )
    done = record(
        container,
        personas.agent,
        customer,
        csat=5,
        comment="Quick and kind",
        interaction_id=contact,
    )
    view = done.feedback
    assert (view.scale, view.score, view.comment) == ("csat", 5, "Quick and kind")
    assert (view.channel, view.category) == ("email", "request")
    assert view.staff_id == personas.supervisor.actor.id
    assert view.recorded_by == personas.agent.actor.id
    assert view.month == "2026-11"
    [event] = audit_events(container, "customer.feedback_recorded", customer)
    assert event.entry.fields == ("feedback",)
    assert event.entry.purpose == "service"


def test_without_a_contact_the_recorder_is_rated_and_the_channel_is_as_given(
    container, personas
) -> None:
    customer = a_customer(container, personas.agent)
    view = record(container, personas.agent, customer, nps=7, channel="chat").feedback
    assert (view.scale, view.score, view.channel, view.category) == ("nps", 7, "chat", None)
    assert view.staff_id == personas.agent.actor.id


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"csat": 0}, "csat"),
        ({"csat": 6}, "csat"),
        ({"nps": -1}, "nps"),
        ({"nps": 11}, "nps"),
        ({"csat": True}, "csat"),
        ({"nps": 8.5}, "nps"),
        ({"csat": "4"}, "csat"),
        ({"csat": 4, "nps": 9}, "csat"),
        ({}, "csat"),
        ({"csat": 4, "channel": "pigeon"}, "channel"),
        ({"csat": 4, "category": "gossip"}, "category"),
        ({"csat": 4, "comment": "x" * 2001}, "comment"),
        ({"csat": 4, "purpose": "billing"}, "purpose"),
    ],
)
def test_a_score_out_of_range_not_whole_or_not_alone_is_refused_naming_the_field(
    container, personas, given, field
) -> None:
    customer = a_customer(container, personas.agent)
    with pytest.raises(InvalidInput) as refused:
        record(container, personas.agent, customer, **given)
    assert refused.value.errors[0][0] == field
    with container.engine.connect() as conn:
        assert conn.execute(select(feedback_table)).all() == []


def test_another_customers_contact_or_a_future_time_is_refused(container, personas) -> None:
    customer = a_customer(container, personas.agent)
    other = a_customer(container, personas.agent, email="other@example.com")
    theirs = a_contact(container, other, personas.agent.actor.id)
    with pytest.raises(InvalidInput) as refused:
        record(container, personas.agent, customer, csat=3, interaction_id=theirs)
    assert refused.value.errors[0][0] == "interaction_id"
    later = container.clock.now() + timedelta(minutes=1)
    with pytest.raises(InvalidInput) as refused:
        record(container, personas.agent, customer, csat=3, at=later)
    assert refused.value.errors[0][0] == "at"


def test_the_month_is_the_uk_month_of_the_answer(container, personas) -> None:
    customer = a_customer(container, personas.agent)
    # 23:30 UTC on 30 June is 00:30 on 1 July in the UK (summer time).
    view = record(
        container, personas.agent, customer, csat=2, at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    ).feedback
    assert view.month == "2026-07"


def test_a_role_outside_the_purpose_is_refused_and_the_refusal_is_audited(
    container, personas
) -> None:
    customer = a_customer(container, personas.agent)
    with pytest.raises(PermissionDenied):
        record(container, personas.agent, customer, csat=4, purpose="marketing")
    [event] = audit_events(container, "customer.feedback_recorded", customer)
    assert event.entry.outcome == "denied"


def test_the_same_idempotency_key_replays_the_answer_and_another_request_conflicts(
    container, personas
) -> None:
    customer = a_customer(container, personas.agent)
    first = record(container, personas.agent, customer, csat=4, idempotency_key="k-1")
    again = record(container, personas.agent, customer, csat=4, idempotency_key="k-1")
    assert again.replayed and again.feedback.id == first.feedback.id
    with pytest.raises(IdempotencyKeyReused):
        record(container, personas.agent, customer, csat=5, idempotency_key="k-1")
    with container.engine.connect() as conn:
        assert len(conn.execute(select(feedback_table)).all()) == 1
