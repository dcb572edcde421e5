"""Delivering what the outbox holds, after the work that wrote it has committed.

One pass: first, messages a worker left "sending" past its lease are dead-lettered as
"outcome unknown" (they may have gone, so they are never resent on their own); then due
messages are claimed one at a time, each in a short transaction of its own, sent with no
transaction open, and their outcome recorded in another. A failure is tried again later,
with exponential back-off and jitter, until the attempts run out; then it is a dead letter
for an administrator. Every change of state is in the audit trail, by the system.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from clientkeep.audit.model import AuditEntry, entry_for
from clientkeep.outbox.backoff import retry_delay, safe_error
from clientkeep.outbox.model import (
    OUTCOME_UNKNOWN,
    Channel,
    DeliveryFailed,
    DeliveryReport,
    DeliveryRules,
    Envelope,
    Outgoing,
    Status,
    outbox_id,
)
from clientkeep.outbox.ports import OutboxUnitOfWork, Sender
from clientkeep.shared.actor import SYSTEM, Actor
from clientkeep.shared.clock import Clock

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Outcome:
    status: Status
    provider_id: str | None = None
    error: str | None = None


def deliver_due(
    uow_factory: Callable[[], OutboxUnitOfWork],
    senders: Mapping[Channel, Sender],
    clock: Clock,
    limit: int = 50,
    *,
    rules: DeliveryRules | None = None,
    jitter: Callable[[], float] = random.random,
    actor: Actor = SYSTEM,
) -> DeliveryReport:
    """One pass: settle lost leases, then send up to ``limit`` due messages on the channels
    that have a sender (messages on the others wait). ``actor`` is who the trail says ran
    the pass: the system, or the operating-system account behind ``outbox deliver``."""
    rules = rules or DeliveryRules()
    worker = outbox_id("wrk")
    unknown = _give_up_lost_leases(uow_factory, clock, limit, actor)
    sent = retrying = dead = 0
    for _ in range(limit):
        claimed = _claim(uow_factory, senders, clock, rules, worker)
        if claimed is None:
            break
        envelope, outgoing = claimed
        outcome = _attempt(senders[outgoing.channel], outgoing)
        settled = _settle(
            uow_factory, clock, rules, worker, envelope, outgoing, outcome, jitter, actor
        )
        if settled is Status.SENT:
            sent += 1
        elif settled is Status.WAITING:
            retrying += 1
        elif settled is Status.DEAD:
            dead += 1
    return DeliveryReport(sent=sent, retrying=retrying, dead=dead, outcome_unknown=unknown)


def _give_up_lost_leases(
    uow_factory: Callable[[], OutboxUnitOfWork], clock: Clock, limit: int, actor: Actor
) -> int:
    with uow_factory() as uow:
        now = clock.now()
        lost = uow.outbox.expired_leases(now, limit)
        for envelope in lost:
            if uow.outbox.give_up_unknown(envelope.id, now, OUTCOME_UNKNOWN):
                uow.audit.append(_event(actor, "outbox.outcome_unknown", envelope))
        uow.commit()
    return len(lost)


def _claim(
    uow_factory: Callable[[], OutboxUnitOfWork],
    senders: Mapping[Channel, Sender],
    clock: Clock,
    rules: DeliveryRules,
    worker: str,
) -> tuple[Envelope, Outgoing] | None:
    if not senders:
        return None
    with uow_factory() as uow:
        now = clock.now()
        claimed = uow.outbox.claim_next(list(senders), now, now + rules.lease, worker)
        uow.commit()
    return claimed


def _attempt(sender: Sender, message: Outgoing) -> _Outcome:
    try:
        provider_id = sender.send(message)
    except DeliveryFailed as failure:
        reason = failure.reason
    except Exception as failure:
        # An unexpected error's text may quote anything, the message included: its type only.
        reason = f"the sender failed unexpectedly ({type(failure).__name__})"
        log.warning("sending message %s failed: %s", message.id, type(failure).__name__)
    else:
        return _Outcome(Status.SENT, provider_id=provider_id[:256])
    secrets = (message.to, message.subject, message.body)
    return _Outcome(Status.WAITING, error=safe_error(reason, secrets))


def _settle(
    uow_factory: Callable[[], OutboxUnitOfWork],
    clock: Clock,
    rules: DeliveryRules,
    worker: str,
    envelope: Envelope,
    outgoing: Outgoing,
    outcome: _Outcome,
    jitter: Callable[[], float],
    actor: Actor,
) -> Status | None:
    with uow_factory() as uow:
        now = clock.now()
        if outcome.status is Status.SENT:
            done = uow.outbox.settle(
                outgoing.id, worker, status=Status.SENT, now=now, provider_id=outcome.provider_id
            )
            action = "outbox.sent"
        elif envelope.attempts >= rules.max_attempts:
            done = uow.outbox.settle(
                outgoing.id, worker, status=Status.DEAD, now=now, error=outcome.error
            )
            action = "outbox.dead_lettered"
        else:
            due = now + retry_delay(rules, envelope.attempts, jitter)
            done = uow.outbox.settle(
                outgoing.id,
                worker,
                status=Status.WAITING,
                now=now,
                next_attempt_at=due,
                error=outcome.error,
            )
            action = "outbox.failed"
        if done is None:
            # Erased or merged away while it was being sent, or retried by a person after its
            # lease ran out: nothing of ours to record on it now.
            return None
        uow.audit.append(_event(actor, action, done))
        uow.commit()
    return done.status


def _event(actor: Actor, action: str, envelope: Envelope) -> AuditEntry:
    return entry_for(
        actor,
        action,
        customer_id=envelope.customer_id,
        purpose=envelope.purpose,
        # Sending discloses these fields to the provider; a failure names none.
        fields=tuple(sorted(envelope.fields)) if action == "outbox.sent" else (),
        detail={
            "message": envelope.id,
            "channel": envelope.channel.value,
            "kind": envelope.kind,
            "attempts": envelope.attempts,
        },
    )


def run_sender(
    stop: threading.Event,
    interval: float,
    deliver: Callable[[], DeliveryReport],
) -> None:
    """Deliver every ``interval`` seconds until ``stop`` is set: for a thread started in the
    web server's lifespan. A failing pass is logged (its error's type only) and the loop goes
    on; the messages it held are settled by a later pass."""
    while not stop.is_set():
        try:
            report = deliver()
        except Exception as failure:
            log.warning("an outbox pass failed (%s)", type(failure).__name__)
        else:
            if report.handled or report.outcome_unknown:
                log.info(
                    "outbox: %d sent, %d to retry, %d dead, %d outcome unknown",
                    report.sent,
                    report.retrying,
                    report.dead,
                    report.outcome_unknown,
                )
        stop.wait(interval)
