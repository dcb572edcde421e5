"""A failure is tried again later, with exponential back-off, until the attempts run out;
then the message is a dead letter with its last error (never its body), for an
administrator to retry."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.outbox import services as outbox
from clientkeep.outbox.errors import NotRetryable
from clientkeep.outbox.model import Status
from clientkeep.shared.errors import PermissionDenied
from tests.integration.outbox.conftest import ADA, BODY, EMAIL, Recording, envelope
from tests.integration.record_kinds._storage import audit_events


def test_an_smtp_refusal_is_retried_with_back_off_then_dead_lettered(
    container, customer_id, enqueue, deliver, smtp, smtp_sender
) -> None:
    handler, _ = smtp
    # The server quotes the recipient back, as real ones do: that must not be kept.
    handler.refuse = f"550 5.7.1 <{ADA['email']}> mailbox unavailable"
    message_id = enqueue(customer_id)
    start = container.clock.now()

    assert deliver({EMAIL: smtp_sender}, max_attempts=3).retrying == 1
    first = envelope(container, message_id)
    assert (first.status, first.attempts) == (Status.WAITING, 1)
    assert first.next_attempt_at == start + timedelta(seconds=30)
    assert "550" in first.last_error
    assert ADA["email"] not in first.last_error and BODY not in first.last_error

    # Not due yet: nothing is tried before its time.
    assert deliver({EMAIL: smtp_sender}, max_attempts=3).handled == 0
    container.clock.advance(timedelta(seconds=30))
    assert deliver({EMAIL: smtp_sender}, max_attempts=3).retrying == 1
    second = envelope(container, message_id)
    assert second.next_attempt_at == container.clock.now() + timedelta(seconds=60)

    container.clock.advance(timedelta(seconds=60))
    assert deliver({EMAIL: smtp_sender}, max_attempts=3).dead == 1
    dead = envelope(container, message_id)
    assert (dead.status, dead.attempts, dead.next_attempt_at) == (Status.DEAD, 3, None)
    assert "550" in dead.last_error
    assert handler.received == []
    assert len(audit_events(container, "outbox.failed", customer_id)) == 2
    [given_up] = audit_events(container, "outbox.dead_lettered", customer_id)
    assert given_up.entry.detail["attempts"] == 3


def test_a_dead_letter_retried_by_the_administrator_is_sent_once_more(
    container, customer_id, enqueue, deliver, personas, smtp, smtp_sender
) -> None:
    handler, _ = smtp
    handler.refuse = "554 no thanks"
    message_id = enqueue(customer_id)
    assert deliver({EMAIL: smtp_sender}, max_attempts=1).dead == 1

    handler.refuse = None
    retried = outbox.retry_message(
        message_id,
        uow=container.uow(),
        actor=personas.admin.actor,
        policy=container.policy,
        clock=container.clock,
    )

    assert (retried.status, retried.attempts) == (Status.WAITING, 0)
    assert deliver({EMAIL: smtp_sender}).sent == 1
    assert len(handler.received) == 1
    [event] = audit_events(container, "outbox.retried", customer_id)
    assert event.entry.actor_id == personas.admin.actor.id


def test_only_a_dead_letter_may_be_retried_and_only_by_whoever_runs_the_outbox(
    container, customer_id, enqueue, personas
) -> None:
    message_id = enqueue(customer_id)

    def retry(persona):
        return outbox.retry_message(
            message_id,
            uow=container.uow(),
            actor=persona.actor,
            policy=container.policy,
            clock=container.clock,
        )

    with pytest.raises(NotRetryable):
        retry(personas.admin)
    with pytest.raises(PermissionDenied):
        retry(personas.agent)
    [denied] = audit_events(container, "outbox.retried")
    assert (denied.entry.outcome, denied.entry.actor_id) == ("denied", personas.agent.actor.id)


def test_an_unexpected_sender_error_is_kept_by_its_type_only(
    container, customer_id, enqueue, deliver
) -> None:
    class Broken:
        def send(self, message):
            raise RuntimeError(f"could not send {message.body} to {message.to}")

    message_id = enqueue(customer_id)
    deliver({EMAIL: Broken()})
    stored = envelope(container, message_id)
    assert stored.last_error == "the sender failed unexpectedly (RuntimeError)"


def test_the_sender_is_told_the_message_opened_and_the_row_stays_sealed(
    container, customer_id, enqueue, deliver
) -> None:
    recorder = Recording()
    message_id = enqueue(customer_id)
    deliver({EMAIL: recorder})
    [sent] = recorder.sent
    assert (sent.id, sent.to, sent.body) == (message_id, ADA["email"], BODY)
