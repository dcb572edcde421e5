"""Working days skip weekends and the bank holidays of the policy's nation, substitute days
included: Easter (Good Friday everywhere, Easter Monday not in Scotland), Christmas and Boxing
Day with their substitutes, New Year with Scotland's 2 January, St Andrew's Day and its
substitute."""

from __future__ import annotations

from datetime import date

import pytest

from clientkeep.complaints.working_days import (
    add_working_days,
    bank_holidays,
    is_working_day,
    working_days_between,
    working_days_in,
)
from clientkeep.policy.complaint_rules import Nation

ENG, SCT, WLS, NIR = Nation.ENGLAND, Nation.SCOTLAND, Nation.WALES, Nation.NORTHERN_IRELAND


def test_easter_2026_skips_good_friday_and_easter_monday_in_england() -> None:
    # Thu 2 April; Fri 3 (Good Friday), Sat, Sun, Mon 6 (Easter Monday) are skipped.
    assert add_working_days(date(2026, 4, 2), 1, ENG) == date(2026, 4, 7)
    assert add_working_days(date(2026, 4, 2), 1, WLS) == date(2026, 4, 7)


def test_easter_monday_is_a_working_day_in_scotland() -> None:
    assert is_working_day(date(2026, 4, 6), SCT)
    assert not is_working_day(date(2026, 4, 3), SCT)
    assert add_working_days(date(2026, 4, 2), 1, SCT) == date(2026, 4, 6)


def test_christmas_2026_skips_the_boxing_day_substitute() -> None:
    # Thu 24 Dec; Fri 25, Sat 26, Sun 27, Mon 28 (Boxing Day substitute) skipped.
    assert date(2026, 12, 28) in bank_holidays(ENG, 2026)
    assert add_working_days(date(2026, 12, 24), 1, ENG) == date(2026, 12, 29)
    assert add_working_days(date(2026, 12, 24), 2, ENG) == date(2026, 12, 30)


def test_christmas_2027_has_two_substitute_days() -> None:
    # Christmas and Boxing Day fall on the weekend: Mon 27 and Tue 28 are the bank holidays.
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= bank_holidays(ENG, 2027)
    assert add_working_days(date(2027, 12, 24), 1, ENG) == date(2027, 12, 29)


def test_new_year_in_scotland_skips_the_second_of_january() -> None:
    # Wed 31 Dec 2025: Thu 1 Jan is a holiday everywhere, Fri 2 Jan only in Scotland.
    assert add_working_days(date(2025, 12, 31), 1, ENG) == date(2026, 1, 2)
    assert add_working_days(date(2025, 12, 31), 1, SCT) == date(2026, 1, 5)


def test_scotlands_2_january_on_a_saturday_moves_to_the_monday() -> None:
    # 2027: Fri 1 Jan, Sat 2 Jan, so Scotland's holiday is Mon 4 Jan.
    assert date(2027, 1, 4) in bank_holidays(SCT, 2027)
    assert add_working_days(date(2026, 12, 31), 1, SCT) == date(2027, 1, 5)
    assert add_working_days(date(2026, 12, 31), 1, ENG) == date(2027, 1, 4)


def test_st_andrews_day_is_a_holiday_in_scotland_only() -> None:
    # Mon 30 Nov 2026.
    assert not is_working_day(date(2026, 11, 30), SCT)
    assert is_working_day(date(2026, 11, 30), ENG)
    assert add_working_days(date(2026, 11, 27), 1, SCT) == date(2026, 12, 1)


@pytest.mark.parametrize(
    ("year", "substitute"), [(2030, date(2030, 12, 2)), (2031, date(2031, 12, 1))]
)
def test_st_andrews_day_on_a_weekend_moves_to_the_monday(year: int, substitute: date) -> None:
    assert substitute in bank_holidays(SCT, year)
    assert substitute not in bank_holidays(ENG, year)
    # Fri 29 Nov 2030 / Fri 28 Nov 2031: the next Scottish working day is the Tuesday.
    friday = date(2030, 11, 29) if year == 2030 else date(2031, 11, 28)
    assert add_working_days(friday, 1, SCT) == substitute.replace(day=substitute.day + 1)


def test_northern_ireland_has_st_patricks_day() -> None:
    assert not is_working_day(date(2026, 3, 17), NIR)
    assert is_working_day(date(2026, 3, 17), ENG)


def test_counting_between_two_dates_matches_adding() -> None:
    start = date(2026, 12, 24)
    for n in range(0, 30):
        assert working_days_between(start, add_working_days(start, n, ENG), ENG) == n
    assert working_days_between(date(2026, 12, 30), date(2026, 12, 24), ENG) == -2


def test_working_days_in_a_span_count_its_first_day_not_its_last() -> None:
    # Mon 7 to Mon 14 Dec 2026: Mon-Fri counted, the last Monday not.
    assert working_days_in(date(2026, 12, 7), date(2026, 12, 14), ENG) == 5
    assert working_days_in(date(2026, 12, 24), date(2026, 12, 29), ENG) == 1


def test_adding_no_days_gives_the_day_itself_and_negative_is_refused() -> None:
    assert add_working_days(date(2026, 12, 26), 0, ENG) == date(2026, 12, 26)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 12, 26), -1, ENG)
