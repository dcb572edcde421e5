"""A record's history lists changes to the fields the purpose shows the role, newest first,
and reading it is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.customers import services as customers
from tests.unit.conftest import commits_forgotten


def history(uow, policy, persona, customer_id, purpose="service"):
    return customers.history(
        customer_id, purpose=purpose, uow=uow, actor=persona.actor, policy=policy
    )


@pytest.fixture
def ada(register, uow, policy, clock, personas):
    ada = register().customer
    clock.advance(timedelta(days=1))
    customers.update(
        ada.id,
        customers.UpdateCustomer(
            purpose="service",
            fields={"phone": "07700 123456"},
            reason="new phone",
            source="internal_records",
        ),
        uow=uow,
        actor=personas.agent.actor,
        policy=policy,
        clock=clock,
    )
    return ada


def test_the_newest_change_comes_first(uow, policy, personas, ada) -> None:
    changes = history(uow, policy, personas.agent, ada.id)
    assert (changes[0].field, changes[0].kind) == ("phone", "rectified")
    assert changes[0].old_value == "+442079460018"


def test_changes_to_fields_the_purpose_does_not_use_are_left_out(
    uow, policy, personas, ada
) -> None:
    changes = history(uow, policy, personas.agent, ada.id, purpose="billing")
    assert "phone" not in {c.field for c in changes}
    assert "date_of_birth" not in {c.field for c in changes}


def test_reading_the_history_is_audited_by_field(uow, policy, personas, ada) -> None:
    changes = history(uow, policy, personas.agent, ada.id, purpose="billing")
    event = uow.audit.events[-1]
    assert event.entry.action == "customer.history_read"
    assert event.entry.customer_id == ada.id
    assert event.entry.purpose == "billing"
    assert event.entry.fields == tuple(sorted({c.field for c in changes}))


def test_without_its_commit_the_history_read_would_go_unrecorded(
    uow, policy, personas, ada
) -> None:
    events = len(uow.audit.events)
    with commits_forgotten(uow):
        history(uow, policy, personas.agent, ada.id)
    assert len(uow.audit.events) == events
