"""Registering stores the record (values, reference, index terms), one history entry per
field saying why it was collected, and the audit event, all in one committed unit."""

from __future__ import annotations

from clientkeep.customers.model import ChangeKind
from tests.unit.conftest import ADA, commits_forgotten


def test_the_record_is_stored_with_a_reference_and_normalised_values(uow, register) -> None:
    view = register().customer
    stored = uow.customers.get(view.id)
    assert stored is not None
    assert stored.value("email") == "Ada.Lovelace@example.com"
    assert stored.value("phone") == "+442079460018"
    assert stored.value("postcode") == "SW1A 1AA"
    assert stored.value("customer_reference") == view.reference.value
    assert uow.commits == 1


def test_the_record_can_be_found_by_its_index_terms(uow, register) -> None:
    view = register().customer
    reference = view.reference.value.replace("-", "")
    for term in [("email", "ada.lovelace@example.com"), ("reference", reference)]:
        assert uow.customers.find_by_terms([term]) == [view.id]


def test_each_collected_field_has_a_history_entry_saying_why(uow, register, personas) -> None:
    view = register().customer
    changes = uow.history.for_customer(view.id)
    assert {c.field for c in changes} == set(ADA) | {"customer_reference"}
    assert all(c.kind == ChangeKind.COLLECTED and c.old_value is None for c in changes)
    assert all(c.reason == "collected for service (phone)" for c in changes)
    assert all(c.changed_by == personas.agent.actor.id for c in changes)


def test_the_registration_is_audited_by_field_name_never_by_value(uow, register) -> None:
    view = register().customer
    (event,) = uow.audit.events
    assert event.entry.action == "customer.created"
    assert event.entry.customer_id == view.id
    assert event.entry.purpose == "service"
    assert event.entry.fields == tuple(sorted({*ADA, "customer_reference"}))
    assert "Lovelace" not in event.body.decode()


def test_the_answer_shows_only_what_the_purpose_shows(register, policy) -> None:
    billing = {k: v for k, v in ADA.items() if k not in ("phone", "date_of_birth")}
    view = register(billing, purpose="billing").customer
    assert view.purpose == "billing"
    assert set(view.fields) == set(billing) | {"customer_reference"}
    assert set(view.fields) <= policy.purposes["billing"].fields


def test_without_its_commit_the_registration_would_leave_nothing(uow, register) -> None:
    with commits_forgotten(uow):
        view = register().customer
    assert uow.customers.get(view.id) is None
    assert uow.history.for_customer(view.id) == []
    assert uow.audit.events == []
