"""A registration the rules refuse stores nothing and records no event; one the policy
refuses is recorded as denied, and that denial is all that is kept."""

from __future__ import annotations

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.unit.conftest import ADA


def nothing_stored(uow) -> bool:
    return uow.customers.rows == {} and uow.history.changes == [] and uow.duplicates.suspects == {}


@pytest.mark.parametrize(
    "fields",
    [
        {**ADA, "email": "not an email"},
        {k: v for k, v in ADA.items() if k != "family_name"},
        {"given_name": "Ada", "family_name": "Lovelace"},  # no way to reach her
        {**ADA, "shoe_size": "5"},  # not declared in the policy
        {**ADA, "customer_reference": "CK-2222-2222"},  # set by clientkeep only
    ],
    ids=["bad email", "no family name", "no contact", "undeclared field", "system field"],
)
def test_invalid_details_leave_no_record_and_no_event(uow, register, fields) -> None:
    with pytest.raises(InvalidInput):
        register(fields)
    assert nothing_stored(uow)
    assert uow.audit.events == []


def test_a_field_the_purpose_does_not_use_is_refused(uow, register) -> None:
    with pytest.raises(InvalidInput) as refused:
        register(purpose="billing")  # billing collects no phone or date of birth
    assert {field for field, _ in refused.value.errors} >= {"fields.phone", "fields.date_of_birth"}
    assert nothing_stored(uow)


def test_special_category_data_from_a_role_that_may_not_handle_it_is_denied(
    uow, register, personas
) -> None:
    with pytest.raises(PermissionDenied):
        register(
            {**ADA, "accessibility_needs": "large print"},
            by=personas.agent,
            consent=frozenset({"accessibility_needs"}),
        )
    assert nothing_stored(uow)
    (event,) = uow.audit.events
    assert event.entry.action == "customer.created"
    assert event.entry.outcome == Outcome.DENIED
    assert event.entry.actor_id == personas.agent.actor.id


def test_a_purpose_the_role_may_not_act_under_is_denied(uow, register, personas) -> None:
    with pytest.raises(PermissionDenied):
        register(purpose="marketing", by=personas.agent)
    assert nothing_stored(uow)
    assert [(e.entry.action, e.entry.outcome, e.entry.purpose) for e in uow.audit.events] == [
        ("customer.created", Outcome.DENIED, "marketing")
    ]
