"""On storage (SQLite and PostgreSQL), a change the caller asks for commits the new value, its
history and an audit event naming the verification in one transaction; a refused one (no
verification, another member's, another customer's, an expired one) leaves the record, its
history and its index exactly as they were, and only the denied event is committed. An
internal correction records where it came from."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from clientkeep.adapters.db.customer_tables import blind_index, customer_change, customer_field
from clientkeep.customers import services as customers
from clientkeep.shared.errors import InvalidInput
from clientkeep.verification import caller_changes
from clientkeep.verification import services as verification
from clientkeep.verification.model import NotVerified
from tests.integration.record_kinds._storage import audit_events

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada@example.com",
    "phone": "020 7946 0018",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1979-03-14",
    "town": "London",
}
GRACE = {"given_name": "Grace", "family_name": "Hopper", "email": "grace@example.net"}
RIGHT = {"date_of_birth": "14/03/1979", "postcode": "sw1a1aa"}


def register(container, personas, fields) -> str:
    return customers.register(
        customers.RegisterCustomer(purpose="service", fields=fields, source="phone"),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id


@pytest.fixture
def ada(container, personas) -> str:
    return register(container, personas, ADA)


def verify(container, persona, customer_id) -> str:
    done = verification.check_knowledge(
        customer_id,
        verification.KnowledgeCheck(answers=RIGHT),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert done.verification_id is not None
    return done.verification_id


def for_caller(container, persona, customer_id, verification_id, fields=None):
    return caller_changes.update_for_caller(
        customer_id,
        customers.UpdateCustomer(
            purpose="service", fields=fields or {"postcode": "LS1 4AP"}, reason="moved"
        ),
        verification_id,
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
    )


def rows_of(container, customer_id) -> tuple:
    """Everything a change writes for the customer, as stored (sealed values as bytes)."""
    with container.engine.connect() as conn:
        return tuple(
            sorted(tuple(r) for r in conn.execute(select(t).where(t.c.customer_id == customer_id)))
            for t in (customer_field, customer_change, blind_index)
        )


def test_the_change_its_history_and_an_event_naming_the_verification_commit_together(
    container, personas, ada
) -> None:
    ver = verify(container, personas.agent, ada)
    before = rows_of(container, ada)
    for_caller(container, personas.agent, ada, ver)
    assert rows_of(container, ada) != before
    with container.uow().reading() as uow:
        stored = uow.customers.get(ada)
        history = uow.history.for_customer(ada)
    assert stored is not None and stored.value("postcode") == "LS1 4AP"
    assert stored.fields["postcode"].source == "phone"
    [change] = [c for c in history if c.kind == "rectified"]
    assert (change.old_value, change.new_value, change.reason) == ("SW1A 1AA", "LS1 4AP", "moved")
    [event] = audit_events(container, "customer.updated", ada)
    assert event.entry.outcome == "success"
    assert event.entry.detail["verification_id"] == ver


def test_refusals_leave_every_row_as_it_was_and_are_recorded(
    container, personas, ada, clock
) -> None:
    grace = register(container, personas, GRACE)
    ver = verify(container, personas.agent, ada)
    before = (rows_of(container, ada), rows_of(container, grace))
    attempts = [
        (personas.agent, ada, None),
        (personas.agent, ada, "ver_unknown"),
        (personas.supervisor, ada, ver),
        (personas.agent, grace, ver),
    ]
    for persona, customer_id, given in attempts:
        with pytest.raises(NotVerified):
            for_caller(container, persona, customer_id, given)
    clock.advance(timedelta(minutes=15))
    with pytest.raises(NotVerified):
        for_caller(container, personas.agent, ada, ver)
    assert (rows_of(container, ada), rows_of(container, grace)) == before
    denied = [e.entry for e in audit_events(container, "customer.updated")]
    assert [(e.outcome, e.customer_id) for e in denied] == [
        ("denied", ada),
        ("denied", ada),
        ("denied", ada),
        ("denied", grace),
        ("denied", ada),
    ]
    assert {e.detail["refused"] for e in denied} == {"not_verified"}


def test_an_internal_correction_records_its_source_and_never_claims_a_caller(
    container, personas, ada
) -> None:
    def internal(source):
        return customers.update(
            ada,
            customers.UpdateCustomer(
                purpose="service", fields={"town": "Leeds"}, reason="letter", source=source
            ),
            uow=container.uow(),
            actor=personas.agent.actor,
            policy=container.policy,
            clock=container.clock,
        )

    before = rows_of(container, ada)
    with pytest.raises(InvalidInput):
        internal("phone")
    assert rows_of(container, ada) == before
    internal("post")
    with container.uow().reading() as uow:
        stored = uow.customers.get(ada)
    assert stored is not None and stored.fields["town"].source == "post"
    [event] = audit_events(container, "customer.updated", ada)
    assert event.entry.detail == {"unchanged": 0, "source": "post"}
