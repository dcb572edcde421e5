"""The audit page's chart: reads of customers per member of staff per UTC day, within the
page's filters, counted by the trail rather than by walking it."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from clientkeep.audit.actions import READS
from clientkeep.audit.ports import AuditLog, TrailFilter
from clientkeep.audit.trail_window import narrowed

CHART_DAYS = 14


@dataclass(frozen=True, slots=True)
class ReadsChart:
    """Reads of customers (records, histories, searches) per member of staff per UTC day."""

    days: tuple[date, ...]
    # actor id -> one count per day, in the order of ``days``.
    counts: dict[str, tuple[int, ...]]

    @property
    def most(self) -> int:
        return max((n for row in self.counts.values() for n in row), default=0)


def reads_chart(
    log: AuditLog,
    where: TrailFilter,
    until: date,
    *,
    since: datetime | None = None,
    before: datetime | None = None,
) -> ReadsChart:
    """The last ``CHART_DAYS`` days up to ``until`` (or the end of the filter's time range,
    ``before``, exclusive; and from its start, ``since``), within the filters ``where``
    already bounded to that range: the count is bounded to the positions of the window."""
    if before is not None:
        until = (before - timedelta(microseconds=1)).date()
    first = until - timedelta(days=CHART_DAYS - 1)
    if since is not None:
        first = max(first, since.date())
    days = tuple(first + timedelta(days=i) for i in range((until - first).days + 1))
    if not days:
        return ReadsChart(days=(), counts={})
    start = datetime.combine(first, time(), UTC)
    end = datetime.combine(until + timedelta(days=1), time(), UTC)
    # Narrowed, never widened: ``where`` already holds the filter's own time range.
    bounded = narrowed(where, after=log.first_seq_at(start) - 1, before=log.first_seq_at(end))
    reads = tuple(a for a in READS if where.action in (None, a))
    if not reads:
        return ReadsChart(days=days, counts={})
    counts: dict[str, list[int]] = {}
    position = {day: i for i, day in enumerate(days)}
    for row in log.daily_counts(replace(bounded, action=None, actions=reads)):
        if row.day in position:
            counts.setdefault(row.actor_id, [0] * len(days))[position[row.day]] += row.count
    return ReadsChart(days=days, counts={a: tuple(n) for a, n in counts.items()})
