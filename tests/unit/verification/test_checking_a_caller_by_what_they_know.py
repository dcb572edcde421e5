"""A caller is verified by stating details the record holds, in any format the field accepts
on entry; the answer never says which detail was wrong, nor shows what is held; repeated
failures lock the customer's checks for everyone; a pass proves the caller only to the member
of staff who ran it, about that customer, until it expires."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.shared.clock import FixedClock
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.verification import services as verification
from clientkeep.verification.model import NotVerified, VerificationLocked
from tests.fakes.verifications import FakeVerificationRepository

ADA_DETAILS = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "phone": "020 7946 0018",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1979-03-14",
}


@pytest.fixture
def ada(uow, register, personas) -> str:
    uow.verifications = FakeVerificationRepository()
    return register(ADA_DETAILS).customer.id


@pytest.fixture
def check(uow, policy, clock, personas):
    def _check(customer_id, answers, *, by=None, purpose="identity_verification"):
        return verification.check_knowledge(
            customer_id,
            verification.KnowledgeCheck(answers=answers, purpose=purpose),
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )

    return _check


def reference_of(uow, customer_id) -> str:
    return uow.customers.get(customer_id).value("customer_reference")


def test_two_details_in_other_formats_verify_the_caller(ada, check, clock) -> None:
    done = check(ada, {"date_of_birth": "14/03/1979", "postcode": "sw1a1aa"})
    assert done.verified and done.verification_id.startswith("ver_")
    assert done.expires_at == clock.now() + timedelta(minutes=15)
    assert done.attempts_left is None


def test_the_last_four_digits_of_the_phone_and_the_reference_count(ada, check, uow) -> None:
    reference = reference_of(uow, ada).lower().replace("-", " ")
    done = check(ada, {"phone_last_four": "0018", "customer_reference": reference})
    assert done.verified


def test_one_right_and_one_wrong_is_a_failure_that_names_neither(ada, check, uow) -> None:
    done = check(ada, {"date_of_birth": "1979-03-14", "postcode": "M1 1AE"})
    assert not done.verified and done.verification_id is None
    assert done.attempts_left == 2
    event = uow.audit.events[-1].entry
    assert event.action == "customer.verified" and event.outcome is Outcome.FAILED
    assert event.fields == ("date_of_birth", "postcode")
    text = repr(event) + repr(done)
    for secret in ("1979", "SW1A", "M1 1AE", "0018"):
        assert secret not in text


def test_too_few_answers_or_unreadable_ones_cost_no_attempt(ada, check, uow) -> None:
    with pytest.raises(InvalidInput) as few:
        check(ada, {"postcode": "SW1A 1AA"})
    assert few.value.errors[0][0] == "answers"
    with pytest.raises(InvalidInput) as unreadable:
        check(ada, {"postcode": "SW1A 1AA", "date_of_birth": "31/02/1979"})
    assert [f for f, _ in unreadable.value.errors] == ["date_of_birth"]
    with pytest.raises(InvalidInput) as unknown:
        check(ada, {"postcode": "SW1A 1AA", "email": "ada@example.com"})
    assert [f for f, _ in unknown.value.errors] == ["email"]
    assert uow.verifications.failures_since(ada, uow.audit.events[0].occurred_at) == []
    # None of the messages quotes what is held.
    assert "1979-03-14" not in repr([few.value.errors, unreadable.value.errors])


def test_a_detail_the_record_does_not_hold_never_matches(uow, register, check) -> None:
    uow.verifications = FakeVerificationRepository()
    sparse = register({"given_name": "Bo", "family_name": "Diddley", "email": "bo@example.org"})
    done = check(
        sparse.customer.id, {"date_of_birth": "", "postcode": "SW1A 1AA", "phone_last_four": "0000"}
    )
    assert not done.verified


def test_three_failures_lock_the_customer_for_everyone_until_the_window_passes(
    ada, check, clock: FixedClock, personas, uow
) -> None:
    wrong = {"date_of_birth": "1990-01-01", "postcode": "M1 1AE"}
    first_failure = clock.now()
    assert [check(ada, wrong).attempts_left for _ in range(3)] == [2, 1, 0]
    clock.advance(timedelta(minutes=1))
    right = {"date_of_birth": "1979-03-14", "postcode": "SW1A 1AA"}
    with pytest.raises(VerificationLocked) as locked:
        check(ada, right, by=personas.supervisor)
    assert locked.value.retry_at == first_failure + timedelta(minutes=15)
    assert uow.audit.events[-1].entry.outcome is Outcome.DENIED
    clock.advance(timedelta(minutes=14))
    assert check(ada, right).verified


def test_a_pass_proves_the_caller_only_to_its_agent_about_its_customer_until_expiry(
    ada, check, uow, register, personas, clock: FixedClock
) -> None:
    other = register({"given_name": "Grace", "family_name": "Hopper", "email": "g@example.net"})
    done = check(ada, {"date_of_birth": "1979-03-14", "postcode": "SW1A 1AA"})
    agent, supervisor = personas.agent.actor, personas.supervisor.actor

    def proves(customer_id, actor) -> bool:
        try:
            with uow:
                verification.require_verified(
                    uow,
                    done.verification_id,
                    customer_id=customer_id,
                    actor=actor,
                    now=clock.now(),
                    fields=("given_name",),
                    action="disclose",
                )
        except NotVerified:
            return False
        return True

    assert proves(ada, agent)
    assert not proves(other.customer.id, agent)
    assert not proves(ada, supervisor)
    clock.advance(timedelta(minutes=15))
    assert not proves(ada, agent)
    with pytest.raises(NotVerified), uow:
        verification.require_verified(
            uow, None, customer_id=ada, actor=agent, now=clock.now(), fields=(), action="disclose"
        )


def test_a_role_that_may_not_compare_the_details_is_refused(ada, check, personas, uow) -> None:
    with pytest.raises(PermissionDenied):
        check(ada, {"date_of_birth": "1979-03-14", "postcode": "SW1A 1AA"}, by=personas.admin)
    assert uow.audit.events[-1].entry.outcome is Outcome.DENIED
    with pytest.raises(PermissionDenied):
        check(ada, {"date_of_birth": "1979-03-14", "postcode": "SW1A 1AA"}, purpose="marketing")
