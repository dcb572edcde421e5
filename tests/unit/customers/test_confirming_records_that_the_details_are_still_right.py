"""Confirming records when and how the customer said their details are still right, so the
record stops being stale; it names fields, and refuses any the record does not hold."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.customers import services as customers
from clientkeep.shared.errors import InvalidInput
from tests.unit.conftest import commits_forgotten


@pytest.fixture
def ada(register):
    return register().customer


@pytest.fixture
def confirm(uow, policy, clock, personas):
    def _confirm(customer_id, names, method="phone", purpose="service"):
        return customers.confirm(
            customer_id,
            names,
            method,
            purpose=purpose,
            uow=uow,
            actor=personas.agent.actor,
            policy=policy,
            clock=clock,
        )

    return _confirm


def test_the_confirmation_is_stored_with_when_and_how(uow, ada, confirm, clock) -> None:
    clock.advance(timedelta(days=400))
    view = confirm(ada.id, ["email", "phone"])
    record = uow.customers.get(ada.id).fields["email"]
    assert (record.confirmed_at, record.confirmed_method) == (clock.now(), "phone")
    assert not view.fields["email"].stale
    assert uow.customers.get(ada.id).fields["email"].value == "Ada.Lovelace@example.com"


def test_a_stale_value_is_fresh_again_once_confirmed(ada, confirm, clock) -> None:
    clock.advance(timedelta(days=400))
    before = confirm(ada.id, ["town"])  # confirming one field says nothing about another
    assert before.fields["email"].stale
    assert not confirm(ada.id, ["email"]).fields["email"].stale


def test_the_confirmation_is_audited_by_field_and_method(uow, ada, confirm) -> None:
    confirm(ada.id, ["phone", "email"], method="email")
    event = uow.audit.events[-1]
    assert event.entry.action == "customer.confirmed"
    assert event.entry.customer_id == ada.id
    assert event.entry.fields == ("email", "phone")
    assert event.entry.detail == {"method": "email"}


@pytest.mark.parametrize(
    ("names", "method"),
    [
        (["preferred_name"], "phone"),  # declared, but Ada has none
        (["email"], "carrier pigeon"),
        ([], "phone"),
        (["customer_reference"], "phone"),  # set by clientkeep, nothing to confirm
        (["shoe_size"], "phone"),
    ],
    ids=["not held", "unknown method", "no fields", "system field", "undeclared"],
)
def test_a_refused_confirmation_changes_nothing(uow, ada, confirm, names, method) -> None:
    stored, events = uow.customers.get(ada.id), len(uow.audit.events)
    with pytest.raises(InvalidInput):
        confirm(ada.id, names, method)
    assert uow.customers.get(ada.id) == stored
    assert len(uow.audit.events) == events


def test_without_its_commit_the_confirmation_would_be_lost(uow, ada, confirm) -> None:
    events = len(uow.audit.events)
    with commits_forgotten(uow):
        confirm(ada.id, ["email"])
    assert uow.customers.get(ada.id).fields["email"].confirmed_at is None
    assert len(uow.audit.events) == events


def test_the_answer_is_the_record_as_now_stored(uow, ada, confirm, clock) -> None:
    clock.advance(timedelta(days=10))
    answered = confirm(ada.id, ["email"])
    assert answered.updated_at == uow.customers.get(ada.id).updated_at
