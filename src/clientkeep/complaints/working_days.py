"""UK working days: weekends and a nation's bank holidays (substitute days included) skipped.

The bank holidays come from the ``holidays`` package (England, Wales, Scotland and Northern
Ireland each have their own: Easter Monday is not one in Scotland, St Andrew's Day and 2
January are). A year's holidays for a nation are worked out once and kept.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays

from clientkeep.policy.complaint_rules import Nation

SUBDIVISIONS = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}
ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=256)
def bank_holidays(nation: Nation, year: int) -> frozenset[date]:
    """The nation's bank holidays in ``year``, substitute days included."""
    found = holidays.country_holidays("GB", subdiv=SUBDIVISIONS[nation], years=year)
    return frozenset(d for d in found if d.year == year)


def is_working_day(day: date, nation: Nation) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(nation, day.year)


def add_working_days(start: date, days: int, nation: Nation) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself never counts; 0 gives
    ``start``)."""
    if days < 0:
        raise ValueError("working days to add must not be negative")
    day = start
    left = days
    while left:
        day += ONE_DAY
        if is_working_day(day, nation):
            left -= 1
    return day


def working_days_between(start: date, end: date, nation: Nation) -> int:
    """How many working days fall after ``start`` up to and including ``end`` (negative when
    ``end`` is before ``start``: the working days from ``end`` up to ``start``, less one
    each)."""
    if end < start:
        return -working_days_between(end, start, nation)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_working_day(day, nation):
            count += 1
    return count


def working_days_in(start: date, end: date, nation: Nation) -> int:
    """How many working days there are from ``start`` up to, not including, ``end``."""
    count = 0
    day = start
    while day < end:
        if is_working_day(day, nation):
            count += 1
        day += ONE_DAY
    return count
