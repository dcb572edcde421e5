"""Failed authentication is counted per source: recorded first at once, then as a summary."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from clientkeep.staff.failed_attempts import INTERVAL, FailedAttempts

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def fail(ledger, source="203.0.113.7", at=T0, kind="token", reason="unknown_token"):
    return ledger.failed(source, kind, at, reason=reason, request_id="req_x")


def test_the_first_failure_of_a_source_is_recorded_at_once() -> None:
    ledger = FailedAttempts(per_minute=10)
    [tally] = fail(ledger)
    assert (tally.source, tally.credential, tally.failures) == ("203.0.113.7", "token", 1)
    assert (tally.reason, tally.request_id, tally.since) == ("unknown_token", "req_x", T0)


def test_later_failures_in_the_interval_are_only_counted() -> None:
    ledger = FailedAttempts(per_minute=1000)
    fail(ledger)
    assert [fail(ledger, at=T0 + timedelta(seconds=s)) for s in range(1, 50)] == [[]] * 49


def test_they_are_summarised_once_the_interval_has_closed() -> None:
    ledger = FailedAttempts(per_minute=1000)
    for s in range(5):
        fail(ledger, at=T0 + timedelta(seconds=s))
    assert ledger.due(T0 + INTERVAL - timedelta(seconds=1)) == []
    [summary] = ledger.due(T0 + INTERVAL)
    assert (summary.failures, summary.refused) == (4, 0)
    assert (summary.since, summary.until) == (T0, T0 + INTERVAL)
    assert (summary.reason, summary.request_id) == (None, None)
    assert ledger.due(T0 + 2 * INTERVAL) == []


def test_the_next_failure_after_the_interval_carries_the_summary_and_starts_afresh() -> None:
    ledger = FailedAttempts(per_minute=1000)
    fail(ledger)
    fail(ledger, at=T0 + timedelta(seconds=1))
    later = fail(ledger, at=T0 + INTERVAL + timedelta(seconds=1))
    assert [(t.failures, t.reason) for t in later] == [(1, None), (1, "unknown_token")]


def test_a_failure_from_another_source_also_carries_closed_summaries() -> None:
    ledger = FailedAttempts(per_minute=1000)
    fail(ledger, source="a")
    fail(ledger, source="a")
    tallies = fail(ledger, source="b", at=T0 + INTERVAL)
    assert [(t.source, t.failures) for t in tallies] == [("a", 1), ("b", 1)]


def test_a_single_failure_needs_no_summary() -> None:
    ledger = FailedAttempts(per_minute=10)
    fail(ledger)
    assert ledger.due(T0 + INTERVAL) == []


def test_a_source_over_the_limit_is_refused_until_its_interval_ends() -> None:
    ledger = FailedAttempts(per_minute=3)
    for s in range(3):
        assert ledger.retry_after("203.0.113.7", "token", T0 + timedelta(seconds=s)) is None
        fail(ledger, at=T0 + timedelta(seconds=s))
    assert ledger.retry_after("203.0.113.7", "token", T0 + timedelta(seconds=20)) == 40
    assert ledger.retry_after("198.51.100.1", "token", T0 + timedelta(seconds=20)) is None
    assert ledger.retry_after("203.0.113.7", "token", T0 + INTERVAL) is None


def test_refused_attempts_are_counted_in_the_summary() -> None:
    ledger = FailedAttempts(per_minute=2)
    fail(ledger)
    fail(ledger)
    for _ in range(7):
        ledger.retry_after("203.0.113.7", "token", T0 + timedelta(seconds=5))
    [summary] = ledger.due(T0 + INTERVAL)
    assert (summary.failures, summary.refused) == (1, 7)


def test_each_kind_of_credential_is_summarised_on_its_own() -> None:
    ledger = FailedAttempts(per_minute=1000)
    fail(ledger, kind="token")
    fail(ledger, kind="token")
    fail(ledger, kind="password", reason="wrong_password")
    fail(ledger, kind="password", reason="wrong_password")
    summaries = ledger.due(T0 + INTERVAL)
    assert sorted((t.credential, t.failures) for t in summaries) == [
        ("password", 2),
        ("token", 1),
    ]


def test_memory_is_bounded_and_an_evicted_source_is_summarised_not_lost() -> None:
    ledger = FailedAttempts(per_minute=1000, max_sources=3)
    fail(ledger, source="oldest")
    fail(ledger, source="oldest")
    for n, source in enumerate(("b", "c", "d", "e"), start=1):
        tallies = fail(ledger, source=source, at=T0 + timedelta(seconds=n))
        assert ledger.tracked <= 3
        if source == "d":
            assert [(t.source, t.failures) for t in tallies] == [("oldest", 1), ("d", 1)]


def test_shutdown_drains_open_intervals_ending_them_now() -> None:
    ledger = FailedAttempts(per_minute=1000)
    fail(ledger)
    fail(ledger)
    fail(ledger, source="quiet")
    now = T0 + timedelta(seconds=10)
    [summary] = ledger.drain(now)
    assert (summary.source, summary.failures, summary.until) == ("203.0.113.7", 1, now)
    assert ledger.tracked == 0


def test_counts_made_from_many_threads_add_up() -> None:
    ledger = FailedAttempts(per_minute=100_000)
    start = threading.Barrier(8)

    def hammer() -> None:
        start.wait()
        for _ in range(500):
            fail(ledger)

    threads = [threading.Thread(target=hammer) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    [summary] = ledger.due(T0 + INTERVAL)
    assert summary.failures == 8 * 500 - 1


@pytest.mark.parametrize("bad", [{"per_minute": 0}, {"per_minute": 5, "max_sources": 0}])
def test_a_ledger_needs_sensible_limits(bad) -> None:
    with pytest.raises(ValueError):
        FailedAttempts(**bad)
