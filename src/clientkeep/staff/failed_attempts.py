"""Failed authentication counted per source (client address): a rate limit, and a tally.

A client sending bad tokens as fast as it can must neither fill the audit trail nor keep the
database busy. So failures are counted here, in memory, per source and per interval of a
minute: the first failure of an interval is recorded at once (someone is trying), the rest
are counted and recorded as one summary when the interval has closed, and a source that has
failed too often in its interval is refused until the interval ends, before any lookup.

The counts are per process: with several server processes each keeps its own, so a source
may fail that many times in each. A failure lost in a crash is lost from the tally only;
the account consequences (failed sign-in count, lockout) are kept in the database.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

INTERVAL = timedelta(minutes=1)
# Each tracked source costs a few hundred bytes; past this many, the oldest interval is closed
# early (its tally recorded) to make room, so a flood from many addresses cannot grow memory.
MAX_SOURCES = 10_000


@dataclass(frozen=True, slots=True)
class Tally:
    """Failures from one source with one kind of credential, to record as one audit event.

    The prompt record of an interval's first failure carries its reason and request id; a
    summary of the rest carries neither, since it stands for many requests.
    """

    source: str
    credential: str
    failures: int
    refused: int
    since: datetime
    until: datetime
    reason: str | None = None
    request_id: str | None = None


@dataclass(slots=True)
class _Interval:
    started: datetime
    ends: datetime
    first: str  # the credential kind of the failure already recorded
    failures: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)

    def tallies(self, source: str, until: datetime) -> list[Tally]:
        """What is not yet recorded, one tally per kind of credential."""
        out = []
        for kind in sorted(set(self.failures) | set(self.refused)):
            failures = self.failures[kind] - (1 if kind == self.first else 0)
            if failures or self.refused[kind]:
                out.append(Tally(source, kind, failures, self.refused[kind], self.started, until))
        return out


class FailedAttempts:
    """Thread-safe: one instance serves every request of a process."""

    def __init__(
        self, *, per_minute: int, max_sources: int = MAX_SOURCES, interval: timedelta = INTERVAL
    ) -> None:
        if per_minute < 1 or max_sources < 1:
            raise ValueError("per_minute and max_sources must be at least 1")
        self._limit = per_minute
        self._max_sources = max_sources
        self._interval = interval
        # Oldest interval first: every interval is as long as the others, so the ones that have
        # closed, and the one to evict, are always at the front.
        self._open: OrderedDict[str, _Interval] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def tracked(self) -> int:
        return len(self._open)

    def retry_after(self, source: str, credential: str, now: datetime) -> int | None:
        """Seconds until ``source`` may try again, counting this refused attempt; or None."""
        # Every authenticated request asks; almost none come from a source with failures, so
        # they are answered without the lock (a dict read is atomic).
        if source not in self._open:
            return None
        with self._lock:
            interval = self._open.get(source)
            if interval is None or interval.ends <= now or interval.failures.total() < self._limit:
                return None
            interval.refused[credential] += 1
            return max(1, math.ceil((interval.ends - now).total_seconds()))

    def failed(
        self,
        source: str,
        credential: str,
        now: datetime,
        *,
        reason: str,
        request_id: str | None = None,
    ) -> list[Tally]:
        """Count a failure. Returns what to record now: this failure if it is the first of its
        source's interval, and the tallies of intervals that have closed since the last call.

        Closed intervals are recorded here, at the next failure from anyone, rather than by a
        timer: a failure is written anyway, so the summaries ride along in the same unit of
        work. Quiet periods are covered by ``due`` (called by the writes authentication makes
        anyway) and ``drain`` (at shutdown).
        """
        with self._lock:
            out = self._close(now)
            interval = self._open.get(source)
            if interval is not None:
                interval.failures[credential] += 1
                return out
            interval = _Interval(started=now, ends=now + self._interval, first=credential)
            interval.failures[credential] = 1
            self._open[source] = interval
            if len(self._open) > self._max_sources:
                oldest, evicted = self._open.popitem(last=False)
                out.extend(evicted.tallies(oldest, until=now))
            out.append(
                Tally(source, credential, 1, 0, now, now, reason=reason, request_id=request_id)
            )
            return out

    def due(self, now: datetime) -> list[Tally]:
        """The tallies of intervals that have closed and are not yet recorded."""
        if not self._open:
            return []
        with self._lock:
            return self._close(now)

    def drain(self, now: datetime) -> list[Tally]:
        """Everything not yet recorded, open intervals included (they end now): for shutdown."""
        with self._lock:
            out = [
                tally
                for source, interval in self._open.items()
                for tally in interval.tallies(source, until=min(interval.ends, now))
            ]
            self._open.clear()
            return out

    def _close(self, now: datetime) -> list[Tally]:
        out: list[Tally] = []
        while self._open:
            source, interval = next(iter(self._open.items()))
            if interval.ends > now:
                break
            del self._open[source]
            out.extend(interval.tallies(source, until=interval.ends))
        return out
