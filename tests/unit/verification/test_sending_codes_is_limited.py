"""Codes to one customer are limited, whoever sends them: none within the policy's wait after
the last, and no more than its number in an hour. A refusal is audited as denied with the time
to try again, sends nothing and stores no code."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.adapters.outbox_code_messenger import OutboxCodeMessenger
from clientkeep.audit.model import Outcome
from clientkeep.policy.loader import default_policy_path, parse_policy
from clientkeep.shared.errors import TooManyRequests
from clientkeep.verification import one_time_codes as codes
from clientkeep.verification.ports import OneTimeCodes
from tests.fakes.verifications import FakeOutboxRepository, FakeVerificationRepository
from tests.unit.conftest import ADA, GRACE

KEY = OneTimeCodes(key=b"k" * 32, messenger=OutboxCodeMessenger())


@pytest.fixture
def store(uow):
    uow.verifications = FakeVerificationRepository()
    uow.outbox = FakeOutboxRepository(uow.customers)
    return uow


@pytest.fixture
def ada(store, register) -> str:
    return register(ADA).customer.id


@pytest.fixture
def send(store, policy, clock, personas):
    def _send(customer_id, *, by=None, rules=None):
        return codes.send_code(
            customer_id,
            codes.SendCode(channel="email"),
            uow=store,
            actor=(by or personas.agent).actor,
            policy=rules or policy,
            clock=clock,
            codes=KEY,
        )

    return _send


def test_a_second_code_within_a_minute_is_refused_with_when_to_try(
    store, ada, send, clock, personas
) -> None:
    first = clock.now()
    send(ada)
    clock.advance(timedelta(seconds=59))
    messages = len(store.outbox.messages)
    code = store.verifications.current_code(ada, personas.agent.actor.id)
    with pytest.raises(codes.TooManyCodes) as refused:
        send(ada)
    assert isinstance(refused.value, TooManyRequests)
    assert refused.value.retry_at == first + timedelta(seconds=60)
    assert refused.value.limit == "resend_after"
    assert len(store.outbox.messages) == messages
    assert store.verifications.current_code(ada, personas.agent.actor.id) == code
    denied = store.audit.events[-1].entry
    assert denied.action == "customer.verification_code_sent"
    assert denied.outcome is Outcome.DENIED and denied.customer_id == ada
    assert denied.detail["limit"] == "resend_after"
    assert denied.detail["retry_at"] == (first + timedelta(seconds=60)).isoformat()
    clock.advance(timedelta(seconds=1))
    send(ada)  # a minute after the last: allowed


def test_the_wait_counts_codes_sent_by_anyone_but_only_to_that_customer(
    store, ada, register, send, personas
) -> None:
    send(ada)
    with pytest.raises(codes.TooManyCodes):
        send(ada, by=personas.supervisor)
    grace = register(GRACE).customer.id
    send(grace)


def test_no_more_than_five_in_an_hour(store, ada, send, clock) -> None:
    first = clock.now()
    for _ in range(5):
        send(ada)
        clock.advance(timedelta(minutes=5))
    with pytest.raises(codes.TooManyCodes) as refused:
        send(ada)
    assert refused.value.limit == "per_hour"
    assert refused.value.retry_at == first + timedelta(hours=1)
    assert "5 codes" in refused.value.message
    clock.advance(first + timedelta(hours=1) - clock.now())
    send(ada)  # the first has left the hour


def test_a_refused_send_does_not_count_toward_the_limit(store, ada, send, clock) -> None:
    send(ada)
    for _ in range(3):
        clock.advance(timedelta(seconds=10))
        with pytest.raises(codes.TooManyCodes):
            send(ada)
    clock.advance(timedelta(seconds=30))
    send(ada)


def test_the_policy_sets_both_limits(store, ada, send, clock) -> None:
    text = default_policy_path().read_text()
    for old, new in (
        ("resend_after_seconds = 60", "resend_after_seconds = 0"),
        ("max_codes_per_hour = 5", "max_codes_per_hour = 2"),
    ):
        assert text.count(old) == 1
        text = text.replace(old, new)
    rules = parse_policy(text)
    send(ada, rules=rules)
    send(ada, rules=rules)  # no wait
    with pytest.raises(codes.TooManyCodes) as refused:
        send(ada, rules=rules)
    assert refused.value.limit == "per_hour"


def test_a_hint_is_given_only_where_the_purpose_does_not_hide_the_detail(
    store, ada, send, clock
) -> None:
    assert send(ada).hint is None  # service hides the email until the caller is verified
    text = default_policy_path().read_text()
    old = """masked_until_verified = [
  "email", "phone", "address_line1", "address_line2", "town", "postcode", "country",
  "date_of_birth",
]"""
    assert text.count(old) == 1
    clock.advance(timedelta(seconds=60))
    assert send(ada, rules=parse_policy(text.replace(old, ""))).hint == "A***@example.com"
