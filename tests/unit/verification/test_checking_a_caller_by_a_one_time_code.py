"""A caller is verified by a one-time code sent to the contact details on their record: the
code goes through the outbox to the address held, only its keyed digest is kept, it works
once and not after it expires, only the latest code counts, and a wrong, used or expired
code is a failure toward the customer's one lockout, answered alike."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from clientkeep.adapters.outbox_code_messenger import OutboxCodeMessenger
from clientkeep.audit.model import Outcome
from clientkeep.shared.errors import InvalidInput
from clientkeep.verification import one_time_codes as codes
from clientkeep.verification import services as verification
from clientkeep.verification.model import Method, VerificationLocked
from clientkeep.verification.ports import OneTimeCodes
from tests.fakes.verifications import FakeOutboxRepository, FakeVerificationRepository

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada@example.com",
    "phone": "020 7946 0018",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1979-03-14",
}
KEY = OneTimeCodes(key=b"k" * 32, messenger=OutboxCodeMessenger())
CODE = re.compile(r"\b(\d{6})\b")


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
    def _send(customer_id, channel="email", *, by=None):
        return codes.send_code(
            customer_id,
            codes.SendCode(channel=channel),
            uow=store,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
            codes=KEY,
        )

    return _send


@pytest.fixture
def check(store, policy, clock, personas):
    def _check(customer_id, code, *, by=None):
        return codes.check_code(
            customer_id,
            codes.CodeCheck(code=code),
            uow=store,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
            codes=KEY,
        )

    return _check


def last_code(store) -> str:
    message = list(store.outbox.messages.values())[-1]
    return CODE.search(message.body).group(1)


def test_sending_writes_one_message_to_the_address_on_record_and_only_a_digest(
    store, ada, send, clock
) -> None:
    sent = send(ada, "email")
    assert sent.channel == "email"
    assert sent.expires_at == clock.now() + timedelta(minutes=10)
    [message] = store.outbox.messages.values()
    assert message.to == "ada@example.com" and message.channel == "email"
    assert message.customer_id == ada and message.purpose == "service"
    code = last_code(store)
    [row] = store.verifications.codes.values()
    assert row.customer_id == ada and row.used_at is None
    assert code.encode() not in row.digest and len(row.digest) == 32
    assert code not in repr(row) + repr(sent)
    actions = [e.entry.action for e in store.audit.events[-2:]]
    assert actions == ["outbox.queued", "customer.verification_code_sent"]
    event = store.audit.events[-1].entry
    assert event.fields == ("email",) and code not in repr(event)
    assert "ada@example.com" not in repr(event)


def test_an_sms_goes_to_the_phone_on_record_and_the_hint_is_masked(store, ada, send, clock) -> None:
    sent = send(ada, "sms")
    [message] = store.outbox.messages.values()
    assert message.to == "+442079460018"
    # The agent serves the customer under "service", which shows the phone only once the
    # caller is verified: no hint of it (its last four are an answer the check asks for).
    assert sent.hint is None
    clock.advance(timedelta(seconds=60))  # the policy's wait between two codes
    assert send(ada, "email").hint is None


def test_the_right_code_passes_once(store, ada, send, check, clock) -> None:
    send(ada)
    code = last_code(store)
    done = check(ada, code)
    assert done.verified and done.verification_id.startswith("ver_")
    assert done.expires_at == clock.now() + timedelta(minutes=15)
    passed = store.verifications.get(done.verification_id)
    assert passed.method is Method.ONE_TIME_CODE
    event = store.audit.events[-1].entry
    assert event.action == "customer.verified" and event.outcome is Outcome.SUCCESS
    assert event.detail["method"] == "one_time_code"

    again = check(ada, code)
    assert not again.verified and again.attempts_left == 2
    assert store.audit.events[-1].entry.outcome is Outcome.FAILED


def test_an_expired_code_fails(store, ada, send, check, clock) -> None:
    send(ada)
    clock.advance(timedelta(minutes=10))
    assert check(ada, last_code(store)).verified is False


def test_an_older_code_is_not_accepted_after_a_newer_was_sent(
    store, ada, send, check, clock
) -> None:
    send(ada)
    older = last_code(store)
    clock.advance(timedelta(seconds=60))  # the policy's wait between two codes
    send(ada, "sms")
    newer = last_code(store)
    if older == newer:  # one chance in a million: the older one would pass as the newer
        pytest.skip("the two random codes are equal")
    assert check(ada, older).verified is False
    assert check(ada, newer).verified is True


def test_a_code_counts_only_for_the_member_of_staff_who_sent_it(
    store, ada, send, check, personas
) -> None:
    send(ada)
    assert check(ada, last_code(store), by=personas.supervisor).verified is False
    assert check(ada, last_code(store)).verified is True


def test_failures_count_toward_the_same_lockout_as_stated_details(
    store, ada, send, check, policy, clock, personas
) -> None:
    send(ada)
    code = last_code(store)
    wrong = "000000" if code != "000000" else "111111"
    assert check(ada, wrong).attempts_left == 2
    knowledge = verification.check_knowledge(
        ada,
        verification.KnowledgeCheck(answers={"date_of_birth": "1990-01-01", "postcode": "M1 1AE"}),
        uow=store,
        actor=personas.agent.actor,
        policy=policy,
        clock=clock,
    )
    assert knowledge.attempts_left == 1
    assert check(ada, wrong).attempts_left == 0
    with pytest.raises(VerificationLocked):
        check(ada, code)
    with pytest.raises(VerificationLocked):
        send(ada)
    # The right code, refused while locked, was not used up.
    assert store.verifications.current_code(ada, personas.agent.actor.id).used_at is None


def test_a_channel_with_nothing_on_record_is_refused_naming_the_channel(
    store, register, send
) -> None:
    no_phone = register({k: v for k, v in ADA.items() if k != "phone"}).customer.id
    with pytest.raises(InvalidInput) as refused:
        send(no_phone, "sms")
    assert [name for name, _ in refused.value.errors] == ["channel"]
    assert store.outbox.messages == {} and store.verifications.codes == {}


def test_an_unknown_channel_or_an_unreadable_code_costs_nothing(store, ada, send, check) -> None:
    with pytest.raises(InvalidInput) as channel:
        send(ada, "fax")
    assert channel.value.errors[0][0] == "channel"
    with pytest.raises(InvalidInput) as code:
        check(ada, "12a456")
    assert code.value.errors[0][0] == "code"
    assert store.verifications.rows == {}


def test_checking_before_any_code_was_sent_fails(store, ada, check) -> None:
    done = check(ada, "123456")
    assert not done.verified and done.attempts_left == 2


def test_a_rolled_back_send_leaves_neither_message_nor_code(
    store, ada, policy, clock, personas
) -> None:
    class Failing(OutboxCodeMessenger):
        def send(self, *args, **kwargs):
            super().send(*args, **kwargs)
            raise RuntimeError("the outbox write failed")

    with pytest.raises(RuntimeError):
        codes.send_code(
            ada,
            codes.SendCode(channel="email"),
            uow=store,
            actor=personas.agent.actor,
            policy=policy,
            clock=clock,
            codes=OneTimeCodes(key=KEY.key, messenger=Failing()),
        )
    assert store.outbox.messages == {} and store.verifications.codes == {}
