"""Under a caller-facing purpose the details the policy lists stay out of the view until this
member of staff has verified the caller; staff away from the phone may show them by a reason
code; the read's audit event names only the fields shown, and the reason's code alone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.verification import masking
from clientkeep.verification import services as verification
from tests.fakes.verifications import FakeVerificationRepository
from tests.unit.conftest import ADA

CONTACT = {"email", "phone", "address_line1", "town", "postcode", "date_of_birth"}
RIGHT = {"date_of_birth": "10/12/1985", "postcode": "SW1A 1AA"}


@pytest.fixture
def store(uow):
    uow.verifications = FakeVerificationRepository()
    return uow


@pytest.fixture
def ada(store, register) -> str:
    return register(ADA).customer.id


@pytest.fixture
def read(store, policy, clock, personas):
    def _read(customer_id, purpose="service", *, reveal=None, by=None):
        return masking.read_for_caller(
            customer_id,
            purpose=purpose,
            reveal=reveal,
            uow=store,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )

    return _read


@pytest.fixture
def verify(store, policy, clock, personas):
    def _verify(customer_id, answers=RIGHT, *, by=None):
        return verification.check_knowledge(
            customer_id,
            verification.KnowledgeCheck(answers=answers),
            uow=store,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )

    return _verify


def last(store, action):
    return next(e.entry for e in reversed(store.audit.events) if e.entry.action == action)


def test_an_unverified_caller_leaves_contact_details_hidden_and_out_of_the_audit(
    store, ada, read
) -> None:
    shown = read(ada)
    assert set(shown.view.fields) == {"customer_reference", "given_name", "family_name"}
    assert {n for n, _ in shown.hidden} == CONTACT
    assert ("email", "Email address") in shown.hidden
    assert shown.proof is None and shown.revealed is None
    assert shown.view.display_name == "Ada Lovelace"
    event = last(store, "customer.read")
    assert set(event.fields) == {"customer_reference", "given_name", "family_name"}
    assert event.customer_id == ada and store.commits


def test_a_verified_caller_shows_everything_and_the_read_names_every_field(
    store, ada, read, verify, clock
) -> None:
    done = verify(ada)
    shown = read(ada)
    assert set(shown.view.fields) >= CONTACT and shown.hidden == ()
    assert shown.proof is not None and shown.proof.id == done.verification_id
    assert set(last(store, "customer.read").fields) >= CONTACT
    clock.advance(timedelta(minutes=15))  # the pass has lapsed
    assert {n for n, _ in read(ada).hidden} == CONTACT


def test_a_check_by_another_member_of_staff_does_not_unhide(ada, read, verify, personas) -> None:
    verify(ada, by=personas.supervisor)
    assert {n for n, _ in read(ada).hidden} == CONTACT
    assert read(ada, by=personas.supervisor).hidden == ()


def test_a_failed_check_does_not_unhide(ada, read, verify) -> None:
    assert verify(ada, {"date_of_birth": "01/01/1990", "postcode": "SW1A 1AA"}).verified is False
    assert {n for n, _ in read(ada).hidden} == CONTACT


def test_each_purpose_hides_only_what_its_policy_lists(ada, read) -> None:
    billing = read(ada, "billing")
    assert {n for n, _ in billing.hidden} == {"email", "address_line1", "town", "postcode"}
    assert set(billing.view.fields) == {"customer_reference", "given_name", "family_name"}
    complaints = read(ada, "complaints")
    assert "phone" in {n for n, _ in complaints.hidden}


def test_a_purpose_that_is_not_caller_facing_hides_nothing(ada, read, personas) -> None:
    marketing = read(ada, "marketing", by=personas.supervisor)
    assert marketing.hidden == () and "email" in marketing.view.fields


def test_revealing_for_work_away_from_the_phone_shows_all_and_records_the_reason_code(
    store, ada, read
) -> None:
    shown = read(ada, reveal="returned_post")
    assert set(shown.view.fields) >= CONTACT and shown.hidden == ()
    assert shown.revealed == "returned_post"
    revealed = last(store, "customer.revealed")
    assert revealed.customer_id == ada and set(revealed.fields) == CONTACT
    assert revealed.detail == {"reason": "returned_post"}
    assert set(last(store, "customer.read").fields) >= CONTACT
    # For that one view: the next read hides them again.
    assert {n for n, _ in read(ada).hidden} == CONTACT


@pytest.mark.parametrize("reason", ["", "my neighbour asked", "OTHER"])
def test_a_reveal_without_a_listed_reason_is_refused_and_records_nothing(
    store, ada, read, reason
) -> None:
    before = len(store.audit.events)
    with pytest.raises(InvalidInput) as refused:
        read(ada, reveal=reason)
    assert refused.value.errors[0][0] == "reason"
    assert reason not in refused.value.message or not reason
    assert len(store.audit.events) == before


def test_a_reveal_when_the_caller_is_verified_records_no_reveal(store, ada, read, verify) -> None:
    verify(ada)
    shown = read(ada, reveal="other")
    assert shown.revealed is None and shown.hidden == ()
    assert "customer.revealed" not in store.audit.actions()


def test_a_purpose_the_role_may_not_use_is_refused_and_recorded(store, ada, read) -> None:
    with pytest.raises(PermissionDenied):
        read(ada, "marketing")
    denied = last(store, "customer.read")
    assert str(denied.outcome) == "denied" and denied.customer_id == ada


def test_cut_builds_no_name_from_a_hidden_name(store, ada, read, policy) -> None:
    full = read(ada, reveal="other").view
    cut = masking.cut(full, frozenset({"family_name"}), policy)
    assert "family_name" not in cut.fields and cut.display_name == ada
    assert masking.cut(full, frozenset(), policy) is full
