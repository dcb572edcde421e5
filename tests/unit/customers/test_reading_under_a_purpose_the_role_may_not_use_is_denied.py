"""Reading under a purpose the role may not act under is refused, and the refusal is in the
trail as a denied read of that customer."""

from __future__ import annotations

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.customers import services as customers
from clientkeep.shared.errors import InvalidInput, PermissionDenied


def read(uow, policy, clock, persona, customer_id, purpose):
    return customers.read(
        customer_id, purpose=purpose, uow=uow, actor=persona.actor, policy=policy, clock=clock
    )


@pytest.mark.parametrize(("who", "purpose"), [("agent", "marketing"), ("admin", "service")])
def test_the_read_is_refused_and_recorded_as_denied(
    uow, policy, clock, personas, register, who, purpose
) -> None:
    ada = register().customer
    before = len(uow.audit.events)
    persona = getattr(personas, who)
    with pytest.raises(PermissionDenied):
        read(uow, policy, clock, persona, ada.id, purpose)
    (event,) = uow.audit.events[before:]
    assert event.entry.action == "customer.read"
    assert event.entry.outcome == Outcome.DENIED
    assert event.entry.customer_id == ada.id
    assert event.entry.purpose == purpose
    assert event.entry.actor_id == persona.actor.id
    assert event.entry.fields == ()


def test_a_purpose_the_policy_does_not_declare_is_invalid_not_denied(
    uow, policy, clock, personas, register
) -> None:
    ada = register().customer
    before = len(uow.audit.events)
    with pytest.raises(InvalidInput):
        read(uow, policy, clock, personas.agent, ada.id, "curiosity")
    assert uow.audit.events[before:] == []


def test_a_refusal_stands_when_the_trail_cannot_record_it(uow, policy, clock, personas) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("audit store unavailable")

    uow.audit.append = broken
    with pytest.raises(PermissionDenied):
        customers.read(
            "cus_" + "a" * 24,
            purpose="marketing",
            uow=uow,
            actor=personas.agent.actor,
            policy=policy,
            clock=clock,
        )
