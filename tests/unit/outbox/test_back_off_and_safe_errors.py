"""Retries back off exponentially with jitter, up to a longest delay; what a failure says is
kept only with the message's own parts taken out of it."""

from __future__ import annotations

from datetime import timedelta

from clientkeep.outbox.backoff import ERROR_MAX, REDACTED, retry_delay, safe_error
from clientkeep.outbox.model import DeliveryRules

RULES = DeliveryRules(first_delay=timedelta(seconds=30), longest_delay=timedelta(minutes=10))


def test_each_failure_doubles_the_delay_until_the_longest() -> None:
    middle = [retry_delay(RULES, n, lambda: 0.5).total_seconds() for n in range(1, 8)]
    assert middle == [30, 60, 120, 240, 480, 600, 600]


def test_jitter_spreads_a_delay_from_half_to_one_and_a_half_times() -> None:
    assert retry_delay(RULES, 2, lambda: 0.0) == timedelta(seconds=30)
    assert retry_delay(RULES, 2, lambda: 0.999) < timedelta(seconds=90)
    assert retry_delay(RULES, 2, lambda: 0.999) > timedelta(seconds=89)


def test_the_recipient_subject_and_lines_of_the_body_are_taken_out_of_an_error() -> None:
    body = "Dear Ada,\nYour code is 493817.\nThanks"
    said = "550 <Ada@Example.com> said: Your code is 493817. rejected; re: Quarterly statement"
    kept = safe_error(said, ("ada@example.com", "Quarterly statement", body))
    assert "493817" not in kept and "ada@example.com" not in kept.lower()
    assert "Quarterly" not in kept
    assert kept.startswith("550 <") and kept.count(REDACTED) == 3


def test_an_error_is_one_short_printable_line() -> None:
    kept = safe_error("bad\r\nthing\x00" + "x" * 1000, ())
    assert kept.startswith("bad thing?") and len(kept) == ERROR_MAX
    assert safe_error("   ", ()) == "failed"
