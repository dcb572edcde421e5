"""A supervisor sees whose caller checks are locked now: how many failed, until when, who ran
them; never what any caller said. Only members with review.work; audited naming each."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.shared.errors import PermissionDenied
from clientkeep.verification import lockouts
from clientkeep.verification import services as verification
from clientkeep.verification.model import VerificationLocked
from tests.fakes.verifications import FakeVerificationRepository
from tests.unit.conftest import ADA, GRACE

WRONG = {"date_of_birth": "01/01/1990", "postcode": "EC1A 1BB"}


@pytest.fixture
def store(uow, personas):
    uow.verifications = FakeVerificationRepository()
    return uow


@pytest.fixture
def fail(store, policy, clock, personas):
    def _fail(customer_id, *, by=None):
        return verification.check_knowledge(
            customer_id,
            verification.KnowledgeCheck(answers=WRONG),
            uow=store,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )

    return _fail


@pytest.fixture
def locked(store, policy, clock, personas):
    def _locked(by=None):
        return lockouts.locked_customers(
            uow=store, actor=(by or personas.supervisor).actor, policy=policy, clock=clock
        )

    return _locked


def test_a_customer_locked_after_three_failures_is_listed_with_when_and_who(
    store, register, fail, locked, clock, personas
) -> None:
    ada = register(ADA).customer.id
    grace = register(GRACE).customer.id
    first = clock.now()
    fail(ada)
    clock.advance(timedelta(minutes=1))
    fail(ada, by=personas.supervisor)
    clock.advance(timedelta(minutes=1))
    fail(ada)
    fail(grace)  # one failure locks nothing
    with pytest.raises(VerificationLocked):
        fail(ada)
    [entry] = locked()
    assert entry.customer_id == ada and entry.display_name == "Ada Lovelace"
    assert entry.failures == 3
    assert entry.first_failure_at == first
    assert entry.last_failure_at == first + timedelta(minutes=2)
    assert entry.retry_at == first + timedelta(minutes=15)
    assert entry.tried_by == (personas.agent.actor.id, personas.supervisor.actor.id)
    event = store.audit.events[-1].entry
    assert event.action == "verification.lockouts_read" and event.customer_id == ada
    assert event.detail["locked"] == 1
    for value in ("1990", "EC1A", "1985", "SW1A"):
        assert value not in repr(entry) and value not in repr(event)


def test_the_lock_lifting_takes_the_customer_off_the_list(register, fail, locked, clock) -> None:
    ada = register(ADA).customer.id
    for _ in range(3):
        fail(ada)
    assert [e.customer_id for e in locked()] == [ada]
    clock.advance(timedelta(minutes=15))
    assert locked() == []


def test_several_locked_customers_are_named_in_one_event(
    store, register, fail, locked, clock
) -> None:
    ada = register(ADA).customer.id
    grace = register(GRACE).customer.id
    for _ in range(3):
        fail(ada)
    clock.advance(timedelta(minutes=1))
    for _ in range(3):
        fail(grace)
    found = locked()
    assert [e.customer_id for e in found] == [grace, ada]  # the latest lock first
    event = store.audit.events[-1].entry
    assert set(event.customers) == {ada, grace}


def test_an_agent_may_not_see_the_lockouts_and_the_refusal_is_recorded(
    store, locked, personas
) -> None:
    with pytest.raises(PermissionDenied):
        locked(personas.agent)
    denied = store.audit.events[-1].entry
    assert denied.action == "verification.lockouts_read" and str(denied.outcome) == "denied"


def test_nothing_locked_is_an_empty_list_still_audited(store, locked) -> None:
    assert locked() == []
    assert store.audit.events[-1].entry.action == "verification.lockouts_read"
