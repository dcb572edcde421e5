"""A registration retried with the same Idempotency-Key answers with the record first made,
making no second one; the same key with a different request is refused."""

from __future__ import annotations

import pytest

from clientkeep.customers.errors import IdempotencyKeyReused
from tests.unit.conftest import ADA, GRACE


def test_the_retry_answers_with_the_first_record_and_makes_no_other(uow, register) -> None:
    first = register(ADA, key="req-1")
    again = register(ADA, key="req-1")
    assert again.replayed
    assert again.customer.id == first.customer.id
    assert list(uow.customers.rows) == [first.customer.id]


def test_the_replay_is_audited_as_a_read(uow, register) -> None:
    first = register(ADA, key="req-1").customer
    register(ADA, key="req-1")
    event = uow.audit.events[-1].entry
    assert (event.action, event.customer_id) == ("customer.read", first.id)


def test_the_key_is_remembered_with_the_record_it_made(uow, register) -> None:
    first = register(ADA, key="req-1").customer
    fingerprint, customer_id = uow.idempotency.recall("stf_agent", "req-1")
    assert customer_id == first.id
    assert fingerprint


def test_the_same_key_with_a_different_request_is_refused(uow, register) -> None:
    register(ADA, key="req-1")
    events = len(uow.audit.events)
    with pytest.raises(IdempotencyKeyReused):
        register(GRACE, key="req-1")
    assert len(uow.customers.rows) == 1
    assert len(uow.audit.events) == events


def test_another_staff_members_key_is_theirs_alone(uow, register, personas) -> None:
    register(ADA, key="req-1")
    assert not register(GRACE, key="req-1", by=personas.supervisor).replayed
    assert len(uow.customers.rows) == 2
