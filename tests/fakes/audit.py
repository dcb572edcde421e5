"""The audit log in memory: a real hash chain, no database."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from clientkeep.audit.model import (
    GENESIS_HASH,
    MAIN_CHAIN,
    AuditEntry,
    AuditEvent,
    Link,
    link_of,
    seal_event,
)
from clientkeep.audit.ports import ChainHead
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
        *,
        chain: str = MAIN_CHAIN,
        after_seq: int = 0,
        limit: int = 50,
        customer_id: str | None = None,
        action: str | None = None,
    ) -> list[AuditEvent]:
        found = [
            e
            for e in self.events
            if e.seq > after_seq
            and (customer_id is None or customer_id in e.entry.customers)
            and (action is None or e.entry.action == action)
        ]
        return found[:limit]

    def actions(self) -> list[str]:
        return [e.entry.action for e in self.events]
