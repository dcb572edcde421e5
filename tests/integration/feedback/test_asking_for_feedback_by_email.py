"""Asking for feedback queues a plain survey email to the address on the customer's record,
through the outbox, under a purpose that uses email and feedback; audited naming the email
field and never quoting the record."""

from __future__ import annotations

import pytest

from clientkeep.feedback import services as feedback
from clientkeep.shared.errors import InvalidInput
from tests.integration.feedback._making import a_contact, a_customer
from tests.integration.record_kinds._storage import audit_events


def ask(container, persona, customer, **given):
    return feedback.ask_for_feedback(
        customer,
        feedback.AskForFeedback(**given),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        renderer=container.feedback_survey,
    )


def test_the_survey_goes_to_the_address_on_record_about_the_contact(container, personas) -> None:
    customer = a_customer(container, personas.agent)
    contact = a_contact(container, customer, personas.agent.actor.id, row_id="int_s")
    queued = ask(container, personas.agent, customer, interaction_id=contact)
    with container.uow().reading() as uow:
        envelope, content = uow.outbox.open(queued.message_id)
    assert (envelope.kind, envelope.purpose, envelope.quotes) == (
        "feedback_survey",
        "service",
        frozenset(),
    )
    assert content.to == "ada@example.com"
    assert "your phone call with us on 23 November 2026" in content.body
    assert "Ada" not in content.body and "Lovelace" not in content.body
    [event] = audit_events(container, "customer.feedback_requested", customer)
    assert event.entry.fields == ("email",)


def test_no_email_on_record_or_a_purpose_without_feedback_is_refused(container, personas) -> None:
    no_email = a_customer(container, personas.agent, email=None)
    with pytest.raises(feedback.NoEmailOnRecord):
        ask(container, personas.agent, no_email)
    customer = a_customer(container, personas.agent)
    with pytest.raises(InvalidInput) as refused:
        ask(container, personas.agent, customer, purpose="billing")
    assert refused.value.errors[0][0] == "purpose"
    with pytest.raises(InvalidInput) as refused:
        ask(container, personas.agent, customer, interaction_id="int_nobody")
    assert refused.value.errors[0][0] == "interaction_id"
    with container.uow().reading() as uow:
        assert uow.outbox.for_customer(customer) == []
