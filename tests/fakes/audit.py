"""The audit log in memory: a real hash chain, no database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

from clientkeep.audit.model import (
    GENESIS_HASH,
    MAIN_CHAIN,
    AuditEntry,
    AuditEvent,
    Link,
    link_of,
    seal_event,
)
from clientkeep.audit.ports import ChainHead, DailyCount, TrailFilter, with_legacy
from clientkeep.shared.clock import Clock
from clientkeep.shared.ids import new_id
from tests.fakes._store import FakeStore


class FakeAuditLog(FakeStore):
    STATE = ("events",)

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.events: list[AuditEvent] = []

    def append(self, entry: AuditEntry, *, chain: str = MAIN_CHAIN) -> AuditEvent:
        self._write("append")
        prev = self.events[-1].hash if self.events else GENESIS_HASH
        event = seal_event(
            chain=chain,
            seq=len(self.events) + 1,
            event_id=new_id("aud"),
            occurred_at=self._clock.now(),
            entry=entry,
            prev_hash=prev,
        )
        self.events.append(event)
        return event

    def append_many(self, entries: Sequence[AuditEntry], *, chain: str = MAIN_CHAIN) -> None:
        for entry in entries:
            self.append(entry, chain=chain)

    def links(self, *, chain: str = MAIN_CHAIN) -> Iterator[Link]:
        return iter([link_of(e) for e in self.events if e.chain == chain])

    def begin_copy_check(self, *, chain: str = MAIN_CHAIN) -> Callable[[], int | None]:
        return lambda: None  # the fake keeps no separate searchable copies

    def head(self, *, chain: str = MAIN_CHAIN) -> ChainHead | None:
        if not self.events:
            return None
        return ChainHead(seq=self.events[-1].seq, hash=self.events[-1].hash, authentic=True)

    def checkpoint(self, *, chain: str = MAIN_CHAIN) -> ChainHead | None:
        return None  # the fake keeps no checkpoints apart from the events

    def page(
        self,
        where: TrailFilter | None = None,
        *,
        chain: str = MAIN_CHAIN,
        limit: int = 50,
        newest_first: bool = False,
        **legacy: Any,
    ) -> list[AuditEvent]:
        where = with_legacy(where, legacy)
        found = self._matching(where, chain)
        return (found[::-1] if newest_first else found)[:limit]

    def first_seq_at(self, at: datetime, *, chain: str = MAIN_CHAIN) -> int:
        later = [e.seq for e in self.events if e.chain == chain and e.occurred_at >= at]
        return later[0] if later else self.newest_seq(chain=chain) + 1

    def newest_seq(self, *, chain: str = MAIN_CHAIN) -> int:
        return max((e.seq for e in self.events if e.chain == chain), default=0)

    def count(self, where: TrailFilter, *, chain: str = MAIN_CHAIN) -> int:
        return len(self._matching(where, chain))

    def daily_counts(self, where: TrailFilter, *, chain: str = MAIN_CHAIN) -> list[DailyCount]:
        counted = Counter(
            (e.entry.actor_id, e.occurred_at.date()) for e in self._matching(where, chain)
        )
        return [DailyCount(actor, day, n) for (actor, day), n in sorted(counted.items())]

    def _matching(self, where: TrailFilter, chain: str) -> list[AuditEvent]:
        def matches(e: AuditEvent) -> bool:
            entry = e.entry
            return (
                e.chain == chain
                and e.seq > where.after_seq
                and (where.before_seq is None or e.seq < where.before_seq)
                and (where.customer_id is None or where.customer_id in entry.customers)
                and (where.actor_id is None or entry.actor_id == where.actor_id)
                and (where.action is None or entry.action == where.action)
                and (not where.actions or entry.action in where.actions)
                and (where.outcome is None or str(entry.outcome) == where.outcome)
                and (where.purpose is None or entry.purpose == where.purpose)
            )

        return [e for e in self.events if matches(e)]

    def actions(self) -> list[str]:
        return [e.entry.action for e in self.events]
