"""Checking a registration for likely duplicates before saving it stores nothing, and is
audited as a search naming everyone it showed."""

from __future__ import annotations

import pytest

from clientkeep.customers import services as customers
from clientkeep.matching.duplicates import likely_duplicates
from clientkeep.shared.errors import InvalidInput
from tests.unit.conftest import ADA, commits_forgotten


def check(uow, policy, clock, personas, fields):
    return customers.find_duplicates_before_saving(
        customers.RegisterCustomer(purpose="service", fields=fields, source="phone"),
        uow=uow,
        actor=personas.agent.actor,
        policy=policy,
        clock=clock,
        duplicates=likely_duplicates,
    )


def test_likely_duplicates_are_listed_and_nothing_is_saved(
    uow, policy, clock, personas, register
) -> None:
    ada = register(ADA).customer
    found = check(uow, policy, clock, personas, {**ADA, "email": "ada@example.org"})
    assert [m.customer_id for m in found] == [ada.id]
    assert list(uow.customers.rows) == [ada.id]
    assert uow.duplicates.open(limit=10) == []


def test_the_check_names_the_one_customer_it_showed(uow, policy, clock, personas, register) -> None:
    ada = register(ADA).customer
    since = len(uow.audit.events)
    check(uow, policy, clock, personas, {**ADA, "email": "ada@example.org"})
    (checked,) = (e.entry for e in uow.audit.events[since:])
    assert (checked.action, checked.customer_id) == ("customer.duplicate_check", ada.id)
    assert checked.detail == {
        "results": 1,
        "shown_fields": "customer_reference,date_of_birth,family_name,given_name,postcode",
    }


def test_the_check_names_each_of_several_customers_it_showed_on_its_one_event(
    uow, policy, clock, personas, register
) -> None:
    ada = register(ADA).customer
    twin = register({**ADA, "email": "ada@example.net"}).customer
    since = len(uow.audit.events)
    check(uow, policy, clock, personas, {**ADA, "email": "ada@example.org"})
    (checked,) = (e.entry for e in uow.audit.events[since:])
    assert (checked.action, checked.customer_id) == ("customer.duplicate_check", None)
    assert sorted(checked.shown) == sorted([ada.id, twin.id])
    assert (
        checked.detail["shown_fields"]
        == "customer_reference,date_of_birth,family_name,given_name,postcode"
    )


def test_details_that_could_not_be_saved_are_refused_unchecked(
    uow, policy, clock, personas
) -> None:
    with pytest.raises(InvalidInput):
        check(uow, policy, clock, personas, {**ADA, "email": "nope"})
    assert uow.audit.events == []


def test_without_its_commit_the_check_would_go_unrecorded(
    uow, policy, clock, personas, register
) -> None:
    register(ADA)
    since = len(uow.audit.events)
    with commits_forgotten(uow):
        assert check(uow, policy, clock, personas, {**ADA, "email": "ada@example.org"})
    assert uow.audit.events[since:] == []
