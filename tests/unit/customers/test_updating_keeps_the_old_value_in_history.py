"""An update changes the values, keeps each old one in the history with who, when and why,
rewrites the index terms, and is audited by field, all in one committed unit."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.customers import services as customers
from clientkeep.customers.model import ChangeKind
from tests.unit.conftest import commits_forgotten


@pytest.fixture
def ada(register):
    return register().customer


@pytest.fixture
def update(uow, policy, clock, personas):
    def _update(customer_id, fields, *, by=None, reason="customer rang to correct it"):
        return customers.update(
            customer_id,
            customers.UpdateCustomer(
                purpose="service", fields=fields, reason=reason, source="internal_records"
            ),
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )

    return _update


def test_the_new_value_is_stored_and_returned(uow, ada, update, clock) -> None:
    clock.advance(timedelta(days=3))
    view = update(ada.id, {"email": "ada@example.org"})
    assert view.fields["email"].value == "ada@example.org"
    stored = uow.customers.get(ada.id)
    assert stored.value("email") == "ada@example.org"
    assert stored.updated_at == clock.now()


def test_the_old_value_is_kept_in_the_history_with_who_and_why(
    uow, ada, update, clock, personas
) -> None:
    clock.advance(timedelta(days=3))
    update(ada.id, {"email": "ada@example.org"}, by=personas.supervisor)
    (change,) = [c for c in uow.history.for_customer(ada.id) if c.kind == ChangeKind.RECTIFIED]
    assert (change.field, change.old_value, change.new_value) == (
        "email",
        "Ada.Lovelace@example.com",
        "ada@example.org",
    )
    assert change.reason == "customer rang to correct it"
    assert change.changed_by == personas.supervisor.actor.id
    assert change.changed_at == clock.now()


def test_the_index_terms_follow_the_new_value(uow, ada, update) -> None:
    update(ada.id, {"email": "ada@example.org"})
    assert uow.customers.find_by_terms([("email", "ada.lovelace@example.com")]) == []
    assert uow.customers.find_by_terms([("email", "ada@example.org")]) == [ada.id]


def test_a_new_name_rewrites_the_terms_built_from_it(uow, ada, update) -> None:
    update(ada.id, {"family_name": "King"})
    kinds = {(t.kind, t.term) for t in uow.customers.terms[ada.id]}
    assert ("name", "lovelace") not in kinds
    assert ("name", "king") in kinds
    assert not any("LFLS" in term for _, term in kinds)  # Lovelace's sound, in composites
    assert ("name_dob", "AT|k|1985-12-10") in kinds


def test_a_removed_value_goes_with_its_terms_and_is_in_the_history(uow, ada, update) -> None:
    update(ada.id, {"phone": None})
    assert uow.customers.get(ada.id).value("phone") is None
    assert uow.customers.find_by_terms([("phone", "+442079460018")]) == []
    (change,) = [c for c in uow.history.for_customer(ada.id) if c.kind == ChangeKind.REMOVED]
    assert (change.field, change.old_value, change.new_value) == ("phone", "+442079460018", None)


def test_the_update_is_audited_by_field_and_counts_what_was_unchanged(uow, ada, update) -> None:
    update(ada.id, {"email": "ada@example.org", "town": "London"})
    event = uow.audit.events[-1]
    assert event.entry.action == "customer.updated"
    assert event.entry.customer_id == ada.id
    assert event.entry.fields == ("email",)
    assert event.entry.detail == {"unchanged": 1, "source": "internal_records"}


def test_the_customer_is_locked_before_it_is_read(uow, ada, update) -> None:
    update(ada.id, {"email": "ada@example.org"})
    assert uow.customers.locked == [(ada.id,)]


def test_without_its_commit_the_update_would_change_nothing(uow, ada, update) -> None:
    events = len(uow.audit.events)
    with commits_forgotten(uow):
        update(ada.id, {"email": "ada@example.org"})
    assert uow.customers.get(ada.id).value("email") == "Ada.Lovelace@example.com"
    assert uow.customers.find_by_terms([("email", "ada@example.org")]) == []
    assert all(c.kind == ChangeKind.COLLECTED for c in uow.history.for_customer(ada.id))
    assert len(uow.audit.events) == events


def test_an_update_that_changes_no_value_answers_with_the_record_as_stored(
    uow, ada, update, clock
) -> None:
    clock.advance(timedelta(days=10))
    answered = update(ada.id, {"town": "London"})  # the value it already holds
    assert answered.updated_at == uow.customers.get(ada.id).updated_at
