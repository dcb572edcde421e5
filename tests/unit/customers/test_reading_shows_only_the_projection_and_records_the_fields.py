"""A read shows the fields the purpose uses that the role may see, nothing more, and records
one committed event naming exactly those fields."""

from __future__ import annotations

import pytest

from clientkeep.customers import services as customers
from clientkeep.customers.errors import CustomerNotFound
from tests.unit.conftest import ADA, commits_forgotten


def read(uow, policy, clock, persona, customer_id, purpose="service"):
    return customers.read(
        customer_id, purpose=purpose, uow=uow, actor=persona.actor, policy=policy, clock=clock
    )


@pytest.fixture
def ada(register, personas):
    consented = {**ADA, "accessibility_needs": "Large print, please"}
    return register(
        consented, by=personas.supervisor, consent=frozenset({"accessibility_needs"})
    ).customer


def test_a_billing_read_shows_only_what_billing_uses(uow, policy, clock, personas, ada) -> None:
    view = read(uow, policy, clock, personas.agent, ada.id, purpose="billing")
    assert set(view.fields) == {
        "customer_reference",
        "given_name",
        "family_name",
        "email",
        "address_line1",
        "town",
        "postcode",
    }


def test_special_category_data_is_shown_only_to_a_role_that_may_see_it(
    uow, policy, clock, personas, ada
) -> None:
    assert "accessibility_needs" not in read(uow, policy, clock, personas.agent, ada.id).fields
    shown = read(uow, policy, clock, personas.supervisor, ada.id).fields
    assert shown["accessibility_needs"].value == "Large print, please"


def test_the_read_is_one_event_naming_the_fields_shown(uow, policy, clock, personas, ada) -> None:
    before = len(uow.audit.events)
    view = read(uow, policy, clock, personas.agent, ada.id, purpose="billing")
    (event,) = uow.audit.events[before:]
    assert event.entry.action == "customer.read"
    assert event.entry.customer_id == ada.id
    assert event.entry.purpose == "billing"
    assert event.entry.actor_id == personas.agent.actor.id
    assert set(event.entry.fields) == set(view.fields)


def test_reading_changes_nothing_but_the_trail(uow, policy, clock, personas, ada) -> None:
    stored = uow.customers.get(ada.id)
    read(uow, policy, clock, personas.agent, ada.id)
    assert uow.customers.get(ada.id) == stored
    assert uow.customers.locked == []


def test_an_unknown_customer_is_not_found_and_nothing_is_recorded(
    uow, policy, clock, personas
) -> None:
    with pytest.raises(CustomerNotFound):
        read(uow, policy, clock, personas.agent, "cus_" + "a" * 24)
    assert uow.audit.events == []


def test_without_its_commit_the_read_would_go_unrecorded(uow, policy, clock, personas, ada) -> None:
    before = len(uow.audit.events)
    with commits_forgotten(uow):
        read(uow, policy, clock, personas.agent, ada.id)
    assert len(uow.audit.events) == before
