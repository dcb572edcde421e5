"""The stretch of the trail a filter covers, as positions: a time range becomes the first
sequence numbers at its ends (a few lookups by key), so every page, count, chart and export
reads by position and the trail needs no index on time."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from clientkeep.audit.ports import AuditLog, TrailFilter


def within_times(
    log: AuditLog, where: TrailFilter, *, since: datetime | None, until: datetime | None
) -> TrailFilter:
    """``where`` bounded to the positions from ``since`` up to ``until`` (exclusive)."""
    if since is not None:
        where = replace(where, after_seq=log.first_seq_at(since) - 1)
    if until is not None:
        where = replace(where, before_seq=log.first_seq_at(until))
    return where


def narrowed(where: TrailFilter, *, after: int = 0, before: int | None = None) -> TrailFilter:
    """``where`` narrowed to after ``after`` and before ``before`` as well, never widened."""
    ends = [b for b in (where.before_seq, before) if b is not None]
    return replace(
        where, after_seq=max(where.after_seq, after), before_seq=min(ends) if ends else None
    )
