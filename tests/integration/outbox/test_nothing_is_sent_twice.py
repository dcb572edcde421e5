"""Two workers never send the same message, and a message whose outcome is unknown (its
worker stopped mid-send) is not sent again on its own: it waits, dead-lettered, for a person
to check and retry."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest

from clientkeep.outbox import services as outbox
from clientkeep.outbox.model import OUTCOME_UNKNOWN, Channel, Status
from tests.integration.outbox.conftest import EMAIL, Recording, envelope
from tests.integration.record_kinds._storage import audit_events


class Overlapping:
    """Each worker's first send waits for the other's, so both hold a claim at once."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self._lock = threading.Lock()
        self._barrier = threading.Barrier(2, timeout=20)
        self._first = threading.local()

    def send(self, message):
        if not getattr(self._first, "done", False):
            self._first.done = True
            self._barrier.wait()
        with self._lock:
            self.sent.append(message.id)
        return f"ok-{message.id}"


def test_two_passes_at_once_send_each_message_exactly_once(
    container, customer_id, enqueue, deliver
) -> None:
    ids = {enqueue(customer_id) for _ in range(8)}
    sender = Overlapping()
    reports: list[outbox.DeliveryReport] = []

    def worker() -> None:
        reports.append(deliver({EMAIL: sender}))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert Counter(sender.sent) == dict.fromkeys(ids, 1)
    assert sorted(r.sent for r in reports) != [0, 8], "both workers should have sent some"
    assert sum(r.sent for r in reports) == 8
    assert {envelope(container, i).status for i in ids} == {Status.SENT}


def test_a_claimed_message_is_skipped_by_another_worker_not_waited_for(
    container, backend, customer_id, enqueue
) -> None:
    if backend != "postgres":
        pytest.skip("SQLite has one writer: a second claim waits for the first to commit")
    first, second = enqueue(customer_id), enqueue(customer_id)
    now = container.clock.now()
    lease = now + timedelta(minutes=5)
    with container.uow() as a, container.uow() as b:
        got_a = a.outbox.claim_next([Channel.EMAIL], now, lease, "wrk_a")
        # The first claim is not committed yet: the second skips its locked row.
        got_b = b.outbox.claim_next([Channel.EMAIL], now, lease, "wrk_b")
        assert got_a is not None and got_b is not None
        assert {got_a[0].id, got_b[0].id} == {first, second}
        a.commit()
        b.commit()


def test_claims_made_one_after_another_take_different_messages(
    container, customer_id, enqueue
) -> None:
    ids = {enqueue(customer_id), enqueue(customer_id)}
    now = container.clock.now()
    claimed = []
    for worker in ("wrk_a", "wrk_b", "wrk_c"):
        with container.uow() as uow:
            got = uow.outbox.claim_next([Channel.EMAIL], now, now + timedelta(minutes=5), worker)
            uow.commit()
        claimed.append(None if got is None else got[0].id)
    assert set(claimed[:2]) == ids and claimed[2] is None


def stop_mid_send(container, message_id: str) -> None:
    """A worker claims the message and dies before it can say how sending went."""
    now = container.clock.now()
    with container.uow() as uow:
        got = uow.outbox.claim_next([Channel.EMAIL], now, now + timedelta(minutes=5), "wrk_x")
        uow.commit()
    assert got is not None and got[0].id == message_id


def test_a_message_whose_worker_died_mid_send_is_not_sent_again_on_its_own(
    container, customer_id, enqueue, deliver, personas
) -> None:
    message_id = enqueue(customer_id)
    stop_mid_send(container, message_id)
    recorder = Recording()

    # While the lease runs the message is left alone; once it has run out, it is given up.
    assert deliver({EMAIL: recorder}).outcome_unknown == 0
    container.clock.advance(timedelta(minutes=6))
    report = deliver({EMAIL: recorder})

    assert (report.outcome_unknown, report.sent) == (1, 0)
    assert recorder.sent == []
    stored = envelope(container, message_id)
    assert (stored.status, stored.last_error) == (Status.DEAD, OUTCOME_UNKNOWN)
    assert audit_events(container, "outbox.outcome_unknown", customer_id)
    assert deliver({EMAIL: recorder}).handled == 0

    # A person checked that it did not arrive, and retries it: it goes, once.
    outbox.retry_message(
        message_id,
        uow=container.uow(),
        actor=personas.admin.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert deliver({EMAIL: recorder}).sent == 1
    assert [m.id for m in recorder.sent] == [message_id]
    [retried] = audit_events(container, "outbox.retried", customer_id)
    assert retried.entry.detail["outcome_was_unknown"] is True


def test_a_worker_that_reports_after_its_lease_ran_out_still_has_its_outcome_kept(
    container, customer_id, enqueue, deliver
) -> None:
    message_id = enqueue(customer_id)
    stop_mid_send(container, message_id)
    container.clock.advance(timedelta(minutes=6))
    deliver({EMAIL: Recording()})
    assert envelope(container, message_id).status is Status.DEAD

    with container.uow() as uow:
        done = uow.outbox.settle(
            message_id, "wrk_x", status=Status.SENT, now=container.clock.now(), provider_id="p1"
        )
        uow.commit()

    assert done is not None and done.status is Status.SENT
    assert envelope(container, message_id).provider_id == "p1"
