"""UK calendar dates of UTC instants: deadlines, follow-ups and report months are UK dates.

Times are stored in UTC; a complaint received at 23:30 UTC on a summer evening was received
the next day in the UK, and its clock counts from that day.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def uk_date(at: datetime) -> date:
    """The UK calendar date of an aware instant."""
    return at.astimezone(UK).date()


def uk_month(at: datetime) -> str:
    """``"2026-12"``: the UK calendar month of an aware instant."""
    return uk_date(at).strftime("%Y-%m")


def end_of_uk_day(day: date) -> datetime:
    """The last moment of a UK date, as an aware instant: when something due that day is late."""
    return datetime.combine(day, time.max, tzinfo=UK)
