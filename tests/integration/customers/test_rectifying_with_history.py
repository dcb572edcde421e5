"""Corrections need a reason and keep who, when, why and the old value."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.customers import services as customers
from clientkeep.shared.errors import InvalidInput


def update(container, persona, customer_id, fields, reason="customer moved house"):
    return customers.update(
        customer_id,
        customers.UpdateCustomer(
            purpose="service", fields=fields, reason=reason, source="internal_records"
        ),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
    )


def history(container, persona, customer_id, purpose="service"):
    return customers.history(
        customer_id,
        purpose=purpose,
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
    )


def test_a_correction_records_the_old_value_and_the_reason(register, personas, container) -> None:
    made = register(personas.agent).customer
    container.clock.advance(timedelta(days=1))
    view = update(container, personas.agent, made.id, {"postcode": "ec1a 1bb"})
    assert view.fields["postcode"].value == "EC1A 1BB"
    change = history(container, personas.agent, made.id)[0]
    assert (change.field, change.old_value, change.new_value) == (
        "postcode",
        "SW1A 1AA",
        "EC1A 1BB",
    )
    assert change.reason == "customer moved house"
    assert change.changed_by == personas.agent.actor.id
    assert change.kind == "rectified"


def test_the_reason_is_required(register, personas, container) -> None:
    made = register(personas.agent).customer
    with pytest.raises(InvalidInput) as caught:
        update(container, personas.agent, made.id, {"town": "Leeds"}, reason="  ")
    assert caught.value.field == "reason"


def test_a_value_can_be_removed_unless_required(register, personas, container) -> None:
    made = register(personas.agent).customer
    container.clock.advance(timedelta(minutes=1))
    update(container, personas.agent, made.id, {"phone": None})
    assert history(container, personas.agent, made.id)[0].kind == "removed"
    with pytest.raises(InvalidInput):
        update(container, personas.agent, made.id, {"family_name": None})


def test_an_unchanged_value_adds_no_history(register, personas, container) -> None:
    made = register(personas.agent).customer
    before = len(history(container, personas.agent, made.id))
    update(container, personas.agent, made.id, {"postcode": "SW1A1AA"})
    assert len(history(container, personas.agent, made.id)) == before


def test_history_shows_only_the_purpose_fields(register, personas, container) -> None:
    made = register(personas.agent).customer
    update(container, personas.agent, made.id, {"phone": "07700 123456"})
    assert "phone" not in {c.field for c in history(container, personas.agent, made.id, "billing")}


def test_confirming_marks_fields_fresh_and_stale_ones_show(
    register, read, personas, container
) -> None:
    made = register(personas.agent).customer
    container.clock.advance(timedelta(days=800))
    assert read(personas.agent, made.id).fields["email"].stale
    view = customers.confirm(
        made.id,
        ["email"],
        "phone",
        purpose="service",
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert not view.fields["email"].stale
    assert view.fields["email"].confirmed_method == "phone"
    assert view.fields["postcode"].stale
