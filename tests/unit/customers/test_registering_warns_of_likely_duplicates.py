"""Registering someone who looks like a customer already held still saves them, warns with a
summary of the other record, queues the pair for review and records whom it showed."""

from __future__ import annotations

from tests.unit.conftest import ADA, GRACE


def test_the_warning_names_the_other_record_and_why(register) -> None:
    ada = register(ADA).customer
    again = register({**ADA, "email": "ada@example.org"})
    (warning,) = again.possible_duplicates
    assert warning.customer_id == ada.id
    assert warning.display_name == "Ada Lovelace"
    assert warning.postcode_district == "SW1A"
    assert "same phone" in warning.reasons


def test_the_pair_goes_to_the_review_queue(uow, register, clock) -> None:
    ada = register(ADA).customer
    again = register({**ADA, "email": "ada@example.org"}).customer
    (suspect,) = uow.duplicates.open(limit=10)
    assert (suspect.customer_id, suspect.other_id) == (again.id, ada.id)
    assert suspect.detected_at == clock.now()


def test_the_customer_shown_in_the_warning_is_in_the_trail(uow, register) -> None:
    ada = register(ADA).customer
    again = register({**ADA, "email": "ada@example.org"}).customer
    created = uow.audit.events[-1].entry
    assert (created.action, created.customer_id) == ("customer.created", again.id)
    assert created.detail["possible_duplicates"] == 1
    # The new customer is the event's own; the one the warning showed is listed beside it.
    assert created.shown == (ada.id,)
    assert created.customers == (again.id, ada.id)
    assert (
        created.detail["shown_fields"]
        == "customer_reference,date_of_birth,family_name,given_name,postcode"
    )


def test_someone_unlike_anyone_held_brings_no_warning(uow, register) -> None:
    register(ADA)
    assert register(GRACE).possible_duplicates == []
    assert uow.duplicates.open(limit=10) == []
