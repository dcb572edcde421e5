"""Duty 3: a kind's rows are read through its read use case under a purpose. A purpose shows
none of the fields it does not declare; a role that may not act under the purpose is refused
and the refusal is in the audit trail; an allowed read is audited naming the customer and the
fields it returned."""

from __future__ import annotations

import pytest

from clientkeep.shared.errors import PermissionDenied
from tests.integration.record_kinds._storage import audit_events


def holds_all(values, words) -> bool:
    text = " ".join(values).casefold()
    return all(w.casefold() in text for w in words)


def test_a_purpose_shows_none_of_the_fields_it_does_not_declare(
    container, driver, canaries, personas
) -> None:
    made = driver.make(canaries)
    policy, reader = container.policy, personas.supervisor
    hidden = 0
    for purpose in policy.purposes:
        if not policy.role_may_act_under(reader.role, purpose):
            continue
        shown = policy.projection(reader.role, purpose).shown
        assert shown <= policy.purposes[purpose].fields
        got = driver.read(reader, made.customer_id, purpose)
        assert set(got.fields) <= shown, purpose
        for name, words in made.canaries.items():
            if name in shown:
                # Shown in full, so the read is not empty by accident.
                assert holds_all(got.fields[name], words), (purpose, name)
            else:
                assert not any(w.casefold() in got.text.casefold() for w in words)
                hidden += 1
        if not driver.holds_values:
            assert got.fields == {}, purpose
    assert hidden or not driver.holds_values, "some purpose should leave out a field written"


def test_a_read_is_audited_naming_the_customer_and_the_fields_returned(
    container, driver, canaries, personas
) -> None:
    made = driver.make(canaries)
    # Billing, unless the kind's field is one billing does not use (the driver names another).
    purpose = getattr(driver, "audited_purpose", "billing")
    got = driver.read(personas.supervisor, made.customer_id, purpose)
    event = audit_events(container, driver.read_action)[-1].entry
    assert event.outcome == "success"
    assert event.customer_id == made.customer_id
    assert event.actor_id == personas.supervisor.actor.id
    assert event.purpose == purpose
    assert set(event.fields) == set(got.fields)
    assert got.fields or not driver.holds_values


def test_a_role_outside_the_purpose_is_refused_and_the_attempt_is_audited(
    container, driver, canaries, personas
) -> None:
    made = driver.make(canaries)
    policy = container.policy
    refused = [
        (persona, purpose)
        for persona in (personas.agent, personas.admin)
        for purpose in policy.purposes
        if not policy.role_may_act_under(persona.role, purpose)
    ]
    assert {p.role for p, _ in refused} == {"agent", "admin"}
    for persona, purpose in refused:
        with pytest.raises(PermissionDenied):
            driver.read(persona, made.customer_id, purpose)
        event = audit_events(container, driver.read_action)[-1].entry
        assert event.outcome == "denied"
        assert (event.customer_id, event.actor_id) == (made.customer_id, persona.actor.id)
        assert event.purpose == purpose
        assert event.fields == ()
