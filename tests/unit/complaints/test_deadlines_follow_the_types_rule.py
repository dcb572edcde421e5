"""Each complaint type's deadlines from its rule in the shipped policy: due at the end of a UK
date, counted from the day after the UK day of receipt, in working days, calendar days or
weeks; a hold moves them on only where the rule stops the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from clientkeep.complaints.clocks import (
    DeadlineStatus,
    ageing,
    clocks_for,
    deadline_status,
    nearly_due_until,
)
from clientkeep.policy.complaint_rules import Nation
from clientkeep.policy.loader import load_policy

POLICY = load_policy()
RULES = POLICY.complaints
assert RULES is not None
GENERAL = RULES.types["general"]
DATA_PROTECTION = RULES.types["data_protection"]
SERVICE = RULES.types["service"]
ENG = Nation.ENGLAND


def at(y: int, m: int, d: int, hh: int = 10, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


def test_general_received_on_christmas_eve_is_acknowledged_by_the_30th() -> None:
    clocks = clocks_for(GENERAL, at(2026, 12, 24), ENG)
    assert clocks.acknowledge_due == date(2026, 12, 30)
    # Eight weeks: 56 calendar days, whatever the holidays.
    assert clocks.final_response_due == date(2027, 2, 18)


def test_a_saturday_receipt_counts_from_the_monday() -> None:
    clocks = clocks_for(GENERAL, at(2026, 11, 28), ENG)  # Saturday
    assert clocks.acknowledge_due == date(2026, 12, 1)  # Mon 30 Nov, Tue 1 Dec


def test_a_saturday_receipt_in_scotland_skips_st_andrews_day() -> None:
    clocks = clocks_for(GENERAL, at(2026, 11, 28), Nation.SCOTLAND)
    assert clocks.acknowledge_due == date(2026, 12, 2)


def test_eight_weeks_across_the_clocks_changing_is_fifty_six_uk_days() -> None:
    # Received 10:00 UK time on Fri 6 March 2026 (GMT); due 1 May (BST): still 56 days.
    clocks = clocks_for(GENERAL, at(2026, 3, 6), ENG)
    assert clocks.final_response_due == date(2026, 5, 1)
    # Received 23:30 UK time on 23 October (BST, 22:30 UTC): the clocks go back on the 25th.
    late = clocks_for(GENERAL, at(2026, 10, 23, 22, 30), ENG)
    assert late.final_response_due == date(2026, 12, 18)


def test_a_late_summer_evening_utc_receipt_counts_from_the_next_uk_day() -> None:
    # 23:30 UTC on Thu 2 July 2026 is 00:30 on Fri 3 July in the UK.
    clocks = clocks_for(GENERAL, at(2026, 7, 2, 23, 30), ENG)
    assert clocks.acknowledge_due == date(2026, 7, 7)  # Mon 6, Tue 7
    same_evening_in_winter = clocks_for(GENERAL, at(2026, 1, 8, 23, 30), ENG)
    assert same_evening_in_winter.acknowledge_due == date(2026, 1, 12)  # Fri 9, Mon 12


def test_data_protection_complaints_run_thirty_calendar_days() -> None:
    clocks = clocks_for(DATA_PROTECTION, at(2026, 12, 1), ENG)
    assert clocks.acknowledge_due == date(2026, 12, 31)
    assert clocks.final_response_due == date(2026, 12, 31)


def test_service_complaints_count_working_days_across_easter() -> None:
    clocks = clocks_for(SERVICE, at(2026, 4, 1), ENG)  # Wed 1 April
    # Thu 2, Tue 7, Wed 8, Thu 9, Fri 10 (Good Friday and Easter Monday skipped).
    assert clocks.acknowledge_due == date(2026, 4, 10)


def test_a_hold_moves_a_working_day_rule_on_by_the_working_days_held() -> None:
    plain = clocks_for(SERVICE, at(2026, 12, 1), ENG)
    # On hold Mon 7 to Mon 14 Dec: five working days held.
    held = clocks_for(SERVICE, at(2026, 12, 1), ENG, [(date(2026, 12, 7), date(2026, 12, 14))])
    assert plain.acknowledge_due == date(2026, 12, 8)
    assert held.acknowledge_due == date(2026, 12, 15)
    assert held.final_response_due > plain.final_response_due


def test_a_hold_does_not_move_a_rule_that_runs_whatever_happens() -> None:
    holds = [(date(2026, 12, 7), date(2026, 12, 14))]
    assert clocks_for(GENERAL, at(2026, 12, 1), ENG, holds) == clocks_for(
        GENERAL, at(2026, 12, 1), ENG
    )


def _status(due: date, now: datetime, done: datetime | None = None, stopped: bool = False) -> str:
    return deadline_status(
        due, done_at=done, stopped=stopped, now=now, nation=ENG, nearly_due_working_days=2
    ).value


def test_a_deadline_is_due_nearly_due_then_overdue_after_the_end_of_its_uk_day() -> None:
    due = date(2026, 12, 30)
    assert _status(due, at(2026, 12, 21)) == DeadlineStatus.DUE
    assert _status(due, at(2026, 12, 24)) == DeadlineStatus.NEARLY_DUE
    assert _status(due, at(2026, 12, 30, 23, 59)) == DeadlineStatus.NEARLY_DUE
    assert _status(due, at(2026, 12, 31, 0, 0)) == DeadlineStatus.OVERDUE


def test_a_deadline_done_is_met_or_missed() -> None:
    due = date(2026, 12, 30)
    assert _status(due, at(2027, 1, 5), done=at(2026, 12, 30, 20)) == DeadlineStatus.MET
    assert _status(due, at(2027, 1, 5), done=at(2026, 12, 31)) == DeadlineStatus.MISSED
    assert _status(due, at(2026, 12, 29), stopped=True) == DeadlineStatus.MISSED


def test_the_nearly_due_window_is_in_working_days() -> None:
    assert nearly_due_until(at(2026, 12, 24), ENG, 2) == date(2026, 12, 30)


def test_ageing_counts_calendar_and_working_days_from_the_uk_day_of_receipt() -> None:
    age = ageing(at(2026, 12, 24), at(2026, 12, 24) + timedelta(days=7), ENG)
    assert (age.calendar_days, age.working_days) == (7, 3)


@pytest.mark.parametrize("name", sorted(RULES.types))
def test_every_shipped_type_acknowledges_no_later_than_its_final_response(name: str) -> None:
    clocks = clocks_for(RULES.types[name], at(2026, 12, 24), ENG)
    assert clocks.acknowledge_due <= clocks.final_response_due
