"""Registering a customer: validated, normalised, minimal, complete, audited."""

from __future__ import annotations

import pytest

from clientkeep.audit.ports import TrailFilter
from clientkeep.customers.errors import IdempotencyKeyReused
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.integration.customers.conftest import ADA, audit_events


def test_values_are_stored_normalised_with_a_reference(register, personas) -> None:
    made = register(personas.agent).customer
    fields = {n: f.value for n, f in made.fields.items()}
    assert fields["postcode"] == "SW1A 1AA"
    assert fields["phone"] == "+442079460018"
    assert made.fields["phone"].display == "020 7946 0018"
    assert fields["email"] == "Ada.Lovelace@example.com"
    assert fields["customer_reference"].startswith("CK-")
    assert made.id.startswith("cus_")


def test_every_problem_is_reported_at_once_naming_each_field(register, personas) -> None:
    bad = {**ADA, "email": "not-an-email", "phone": "12", "postcode": "NOPE"}
    with pytest.raises(InvalidInput) as caught:
        register(personas.agent, bad)
    fields = {f for f, _ in caught.value.errors}
    assert {"fields.email", "fields.phone", "fields.postcode"} <= fields
    assert "not-an-email" not in str(caught.value.errors)


def test_a_field_the_purpose_does_not_use_is_refused(register, personas) -> None:
    with pytest.raises(InvalidInput) as caught:
        register(personas.agent, {**ADA, "date_of_birth": "1985-12-10"}, purpose="billing")
    assert {f for f, _ in caught.value.errors} == {"fields.date_of_birth", "fields.phone"}
    assert all("data minimisation" in message for _, message in caught.value.errors)


def test_an_undeclared_field_is_refused_without_echoing_its_name(register, personas) -> None:
    # An undeclared key is the caller's text: it may be a value typed in the wrong place.
    with pytest.raises(InvalidInput) as caught:
        register(personas.agent, {**ADA, "Lovelace1815": "9"})
    assert caught.value.errors[0][0] == "fields"
    assert "1 of the fields given is not declared" in caught.value.errors[0][1]
    assert "Lovelace1815" not in repr(caught.value.errors)


def test_a_compare_only_purpose_cannot_collect_values(register, personas) -> None:
    with pytest.raises(InvalidInput) as caught:
        register(personas.agent, {"postcode": "SW1A 1AA"}, purpose="identity_verification")
    assert caught.value.errors[0][0] == "fields.postcode"
    assert "only compares" in caught.value.errors[0][1]


def test_required_fields_must_be_present(register, personas) -> None:
    with pytest.raises(InvalidInput) as caught:
        register(personas.agent, {"given_name": "Ada"})
    fields = [f for f, _ in caught.value.errors]
    assert "fields.family_name" in fields and "fields" in fields


def test_special_category_needs_a_role_that_may_handle_it(register, personas) -> None:
    with pytest.raises(PermissionDenied):
        register(
            personas.agent,
            {**ADA, "accessibility_needs": "Large print"},
            consent={"accessibility_needs"},
        )


def test_special_category_needs_explicit_consent(register, personas, read) -> None:
    with pytest.raises(InvalidInput) as caught:
        register(personas.supervisor, {**ADA, "accessibility_needs": "Large print"})
    assert caught.value.errors[0][0] == "fields.accessibility_needs"
    made = register(
        personas.supervisor,
        {**ADA, "accessibility_needs": "Large print"},
        consent={"accessibility_needs"},
    ).customer
    assert made.fields["accessibility_needs"].value == "Large print"
    assert "accessibility_needs" not in read(personas.agent, made.id).fields


def test_an_admin_may_not_register_customers(register, personas) -> None:
    with pytest.raises(PermissionDenied):
        register(personas.admin)


def test_read_back_is_recorded_per_field(register, personas, container) -> None:
    made = register(personas.agent, confirmed=True).customer
    assert made.fields["email"].confirmed_at == container.clock.now()
    assert made.fields["email"].confirmed_method == "read back (phone)"
    unconfirmed = register(personas.agent, {**ADA, "email": "b@example.com"}).customer
    assert unconfirmed.fields["email"].confirmed_at is None


def test_registration_is_audited_with_field_names_not_values(register, personas, container) -> None:
    made = register(personas.agent).customer
    event = audit_events(container, "customer.created")[-1]
    assert event.entry.customer_id == made.id
    assert "email" in event.entry.fields
    assert "Lovelace" not in str(event)


def test_likely_duplicates_are_reported_and_queued(register, personas) -> None:
    first = register(personas.agent).customer
    second = register(
        personas.agent,
        {**ADA, "email": "other@example.com", "phone": "07700 123456", "given_name": "Adah"},
    )
    assert [m.customer_id for m in second.possible_duplicates] == [first.id]
    assert second.possible_duplicates[0].reasons


def test_the_same_idempotency_key_and_body_returns_the_first_result(register, personas) -> None:
    first = register(personas.agent, key="k-1")
    again = register(personas.agent, key="k-1")
    assert again.replayed and again.customer.id == first.customer.id
    with pytest.raises(IdempotencyKeyReused):
        register(personas.agent, {**ADA, "town": "Leeds"}, key="k-1")


def test_duplicates_can_be_checked_before_saving_anything(register, personas, container) -> None:
    from clientkeep.customers import services as customers

    first = register(personas.agent).customer
    found = customers.find_duplicates_before_saving(
        customers.RegisterCustomer("service", {**ADA, "email": "x@example.com"}, "phone"),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    )
    assert [m.customer_id for m in found] == [first.id]
    # The one customer it showed is named on the check's event.
    assert audit_events(container, "customer.duplicate_check")[-1].entry.customer_id == first.id
    with container.uow() as uow:
        assert uow.customers.find_by_terms([("email", "x@example.com")]) == []


def test_a_request_racing_another_with_the_same_key_replays_it_instead_of_failing(
    container, personas, register, monkeypatch
) -> None:
    from clientkeep.adapters.db.review_repository import SqlIdempotencyRepository

    first = register(personas.agent, key="race-1")
    real_recall = SqlIdempotencyRepository.recall
    calls = []

    def recall_before_the_other_committed(self, actor_id, key):
        calls.append(key)
        # The first look misses, as it would while the other request was still running.
        return None if len(calls) == 1 else real_recall(self, actor_id, key)

    monkeypatch.setattr(SqlIdempotencyRepository, "recall", recall_before_the_other_committed)
    second = register(personas.agent, key="race-1")
    assert second.replayed and second.customer.id == first.customer.id
    assert len(calls) == 2
    with container.uow() as uow:
        created = uow.audit.page(TrailFilter(action="customer.created"), limit=50)
    assert [e.entry.customer_id for e in created] == [first.customer.id]
