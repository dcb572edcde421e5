"""An update the rules refuse leaves the record, its terms and its history as they were, and
records no event; one the policy refuses is recorded as denied."""

from __future__ import annotations

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.customers import services as customers
from clientkeep.shared.errors import InvalidInput, PermissionDenied


@pytest.fixture
def ada(register):
    return register().customer


def update(uow, policy, clock, persona, customer_id, fields, *, purpose="service", reason="x"):
    return customers.update(
        customer_id,
        customers.UpdateCustomer(
            purpose=purpose, fields=fields, reason=reason, source="internal_records"
        ),
        uow=uow,
        actor=persona.actor,
        policy=policy,
        clock=clock,
    )


def stored_state(uow, customer_id):
    return (
        uow.customers.get(customer_id),
        set(uow.customers.terms[customer_id]),
        uow.history.for_customer(customer_id),
        len(uow.audit.events),
    )


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"email": "not an email"}, "typo"),
        ({"email": "ada@example.org", "phone": "12"}, "one good, one bad"),
        ({"family_name": None}, "the service purpose requires a family name"),
        ({"email": "ada@example.org"}, "   "),
        ({}, "nothing to change"),
    ],
    ids=["bad value", "one bad of two", "required removed", "blank reason", "no fields"],
)
def test_a_refused_update_leaves_everything_as_it_was(
    uow, policy, clock, personas, ada, fields, reason
) -> None:
    before = stored_state(uow, ada.id)
    with pytest.raises(InvalidInput):
        update(uow, policy, clock, personas.agent, ada.id, fields, reason=reason)
    assert stored_state(uow, ada.id) == before


def test_removing_the_only_way_to_reach_the_customer_is_refused(
    uow, policy, clock, personas, register
) -> None:
    # Known only once the record is read, inside the unit: a check the fields alone cannot make.
    only_email = register({"given_name": "Ada", "family_name": "Lovelace", "email": "a@b.org"})
    before = stored_state(uow, only_email.customer.id)
    with pytest.raises(InvalidInput):
        update(uow, policy, clock, personas.agent, only_email.customer.id, {"email": None})
    assert stored_state(uow, only_email.customer.id) == before


def test_an_update_under_a_purpose_the_role_may_not_use_is_denied(
    uow, policy, clock, personas, ada
) -> None:
    before = stored_state(uow, ada.id)
    with pytest.raises(PermissionDenied):
        update(
            uow, policy, clock, personas.agent, ada.id, {"email": "x@y.org"}, purpose="marketing"
        )
    assert stored_state(uow, ada.id)[:3] == before[:3]
    event = uow.audit.events[-1]
    assert (event.entry.action, event.entry.outcome, event.entry.customer_id) == (
        "customer.updated",
        Outcome.DENIED,
        ada.id,
    )
