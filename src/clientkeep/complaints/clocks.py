"""A complaint's clocks: when its acknowledgement and final response are due, and how each
deadline stands now.

Pure arithmetic on UK dates. A deadline is due at the end of the UK day it falls on, and the
count starts the day after the day of receipt (a complaint received at 23:30 UTC on a summer
evening was received the next day in the UK). Working days skip weekends and the policy's
nation's bank holidays; weeks are seven calendar days each. Where a type's rule stops the
clock while a case is on hold, each deadline moves on by the days held: working days for a
working-day rule, calendar days otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from clientkeep.complaints.working_days import (
    add_working_days,
    working_days_between,
    working_days_in,
)
from clientkeep.policy.complaint_rules import ComplaintType, DayCount, Deadline, Nation
from clientkeep.shared.uk_time import uk_date

# (UK date the hold began, UK date it was released): the days held are the dates from the
# first up to, not including, the second.
Hold = tuple[date, date]


class DeadlineStatus(StrEnum):
    MET = "met"  # done by the end of the day it was due
    MISSED = "missed"  # done late, or the case was resolved without it
    OVERDUE = "overdue"
    NEARLY_DUE = "nearly_due"  # due within the policy's nearly-due working days
    DUE = "due"


STATUS_WORDS = {
    DeadlineStatus.MET: "Met",
    DeadlineStatus.MISSED: "Missed",
    DeadlineStatus.OVERDUE: "Overdue",
    DeadlineStatus.NEARLY_DUE: "Nearly due",
    DeadlineStatus.DUE: "Due",
}


@dataclass(frozen=True, slots=True)
class Clocks:
    acknowledge_due: date
    final_response_due: date


def calendar_days_held(holds: Sequence[Hold]) -> int:
    return sum(max((end - start).days, 0) for start, end in holds)


def _held_for(deadline: Deadline, holds: Sequence[Hold], nation: Nation) -> int:
    if deadline.counted_in is DayCount.WORKING_DAYS:
        return sum(working_days_in(start, end, nation) for start, end in holds)
    return calendar_days_held(holds)


def due_on(deadline: Deadline, received: date, nation: Nation, holds: Sequence[Hold] = ()) -> date:
    """The UK date a deadline falls due for a complaint received on ``received``, moved on by
    the days held in ``holds`` (pass none where the rule does not stop the clock)."""
    extra = _held_for(deadline, holds, nation)
    if deadline.counted_in is DayCount.WORKING_DAYS:
        return add_working_days(received, deadline.within + extra, nation)
    if deadline.counted_in is DayCount.WEEKS:
        return received + timedelta(days=7 * deadline.within + extra)
    return received + timedelta(days=deadline.within + extra)


def clocks_for(
    rule: ComplaintType, received_at: datetime, nation: Nation, holds: Sequence[Hold] = ()
) -> Clocks:
    """Both deadlines of a complaint of this type received at ``received_at``; the holds count
    only where the type's rule stops the clock while on hold."""
    received = uk_date(received_at)
    counted = holds if rule.hold_stops_clock else ()
    return Clocks(
        acknowledge_due=due_on(rule.acknowledge, received, nation, counted),
        final_response_due=due_on(rule.final_response, received, nation, counted),
    )


def deadline_status(
    due: date,
    *,
    done_at: datetime | None,
    stopped: bool,
    now: datetime,
    nation: Nation,
    nearly_due_working_days: int,
) -> DeadlineStatus:
    """How a deadline stands at ``now``: met or missed once done (``done_at``) or no longer
    awaited (``stopped``: the case was resolved without it); otherwise overdue after the end
    of its day, nearly due within the nearly-due working days, else due."""
    if done_at is not None:
        return DeadlineStatus.MET if uk_date(done_at) <= due else DeadlineStatus.MISSED
    if stopped:
        return DeadlineStatus.MISSED
    today = uk_date(now)
    if today > due:
        return DeadlineStatus.OVERDUE
    if working_days_between(today, due, nation) <= nearly_due_working_days:
        return DeadlineStatus.NEARLY_DUE
    return DeadlineStatus.DUE


def nearly_due_until(now: datetime, nation: Nation, nearly_due_working_days: int) -> date:
    """The last UK date a deadline may fall on and still be nearly due at ``now``."""
    return add_working_days(uk_date(now), nearly_due_working_days, nation)


@dataclass(frozen=True, slots=True)
class Ageing:
    calendar_days: int
    working_days: int


def ageing(received_at: datetime, until: datetime, nation: Nation) -> Ageing:
    """How long a case has been open: from its UK day of receipt to ``until``'s UK day."""
    start, end = uk_date(received_at), uk_date(until)
    return Ageing(
        calendar_days=max((end - start).days, 0),
        working_days=max(working_days_between(start, end, nation), 0),
    )
