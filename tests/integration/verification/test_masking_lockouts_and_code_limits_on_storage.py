"""On real storage (SQLite and PostgreSQL): the review queue's locked customers come from the
failed attempts by one query, never opening what is sealed; the limit on codes counts the
sends in the audit trail; a masked read's event names only the fields it showed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.audit.ports import TrailFilter
from clientkeep.customers import services as customers
from clientkeep.verification import lockouts, masking
from clientkeep.verification import one_time_codes as codes
from clientkeep.verification import services as verification
from clientkeep.verification.model import VerificationLocked

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada.lovelace@example.com",
    "phone": "020 7946 0018",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1985-12-10",
}
GRACE = {"given_name": "Grace", "family_name": "Hopper", "email": "grace@example.net"}
WRONG = {"date_of_birth": "01/01/1990", "postcode": "EC1A 1BB"}


def register(container, personas, fields) -> str:
    return customers.register(
        customers.RegisterCustomer(purpose="service", fields=dict(fields), source="phone"),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id


def fail(container, persona, customer_id):
    return verification.check_knowledge(
        customer_id,
        verification.KnowledgeCheck(answers=WRONG),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
    )


def send(container, persona, customer_id):
    return codes.send_code(
        customer_id,
        codes.SendCode(channel="email"),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        codes=container.one_time_codes,
    )


def test_failed_since_lists_failures_of_every_customer_in_order(container, personas) -> None:
    ada = register(container, personas, ADA)
    grace = register(container, personas, GRACE)
    start = container.clock.now()
    fail(container, personas.agent, grace)
    container.clock.advance(timedelta(minutes=1))
    fail(container, personas.supervisor, ada)
    container.clock.advance(timedelta(seconds=1))
    fail(container, personas.agent, ada)
    with container.uow().reading() as uow:
        found = uow.verifications.failed_since(start - timedelta(seconds=1))
        later = uow.verifications.failed_since(start)
    ada_first = [(ada, personas.supervisor.actor.id), (ada, personas.agent.actor.id)]
    grace_first = [(grace, personas.agent.actor.id)]
    expected = ada_first + grace_first if ada < grace else grace_first + ada_first
    assert [(f.customer_id, f.staff_id) for f in found] == expected
    assert all(f.at.tzinfo is not None for f in found)
    assert {f.customer_id for f in later} == {ada}  # strictly after


def test_a_locked_customer_is_listed_for_a_supervisor(container, personas) -> None:
    ada = register(container, personas, ADA)
    for _ in range(3):
        fail(container, personas.agent, ada)
    with pytest.raises(VerificationLocked):
        fail(container, personas.agent, ada)
    [entry] = lockouts.locked_customers(
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert entry.customer_id == ada and entry.display_name == "Ada Lovelace"
    assert entry.failures == 3 and entry.tried_by_names[0].endswith("(agent)")
    with container.uow().reading() as uow:
        [event] = uow.audit.page(TrailFilter(customer_id=ada, action="verification.lockouts_read"))
    assert event.entry.actor_id == personas.supervisor.actor.id


def test_the_code_limits_count_sends_in_the_trail(container, personas) -> None:
    ada = register(container, personas, ADA)
    send(container, personas.agent, ada)
    with pytest.raises(codes.TooManyCodes):
        send(container, personas.supervisor, ada)
    for _ in range(4):
        container.clock.advance(timedelta(minutes=2))
        send(container, personas.agent, ada)
    container.clock.advance(timedelta(minutes=2))
    with pytest.raises(codes.TooManyCodes) as refused:
        send(container, personas.agent, ada)
    assert refused.value.limit == "per_hour"
    with container.uow().reading() as uow:
        denied = uow.audit.page(
            TrailFilter(customer_id=ada, action="customer.verification_code_sent", outcome="denied")
        )
    assert [e.entry.detail["limit"] for e in denied] == ["resend_after", "per_hour"]


def test_a_masked_read_is_recorded_by_the_fields_it_showed(container, personas) -> None:
    ada = register(container, personas, ADA)
    shown = masking.read_for_caller(
        ada,
        purpose="service",
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert "email" not in shown.view.fields
    with container.uow().reading() as uow:
        [event] = uow.audit.page(
            TrailFilter(customer_id=ada, action="customer.read"), newest_first=True, limit=1
        )
    assert set(event.entry.fields) == {"customer_reference", "given_name", "family_name"}
