"""In-memory stand-ins for the repositories, so use cases are tested without a database."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from types import TracebackType
from typing import Self

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
from clientkeep.staff.model import ApiToken, StaffMember, WebSession


class FakeAuditLog:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.events: list[AuditEvent] = []

    def append(self, entry: AuditEntry, *, chain: str = MAIN_CHAIN) -> AuditEvent:
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

    def first_mismatched_copy(self, *, chain: str = MAIN_CHAIN) -> int | None:
        return None  # the fake keeps no separate searchable copies

    def head(self, *, chain: str = MAIN_CHAIN) -> ChainHead | None:
        if not self.events:
            return None
        return ChainHead(seq=self.events[-1].seq, hash=self.events[-1].hash, authentic=True)

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
            and (customer_id is None or e.entry.customer_id == customer_id)
            and (action is None or e.entry.action == action)
        ]
        return found[:limit]

    def actions(self) -> list[str]:
        return [e.entry.action for e in self.events]


class FakeStaffRepository:
    def __init__(self) -> None:
        self.rows: dict[str, StaffMember] = {}

    def add(self, member: StaffMember) -> None:
        self.rows[member.id] = member

    def get(self, staff_id: str) -> StaffMember | None:
        return self.rows.get(staff_id)

    def by_username(self, username: str) -> StaffMember | None:
        return next((m for m in self.rows.values() if m.username == username), None)

    def update(self, member: StaffMember) -> None:
        self.rows[member.id] = member

    def list(self) -> list[StaffMember]:
        return sorted(self.rows.values(), key=lambda m: m.username)

    def count_active_with_role(self, role: str) -> int:
        return sum(1 for m in self.rows.values() if m.role == role and m.active)


class FakeTokenRepository:
    def __init__(self) -> None:
        self.rows: dict[str, ApiToken] = {}

    def add(self, token: ApiToken) -> None:
        self.rows[token.id] = token

    def get(self, token_id: str) -> ApiToken | None:
        return self.rows.get(token_id)

    def by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self.rows.values() if t.token_hash == token_hash), None)

    def for_staff(self, staff_id: str) -> list[ApiToken]:
        return [t for t in self.rows.values() if t.staff_id == staff_id]

    def mark_used(self, token_id: str, at: datetime) -> None:
        self.rows[token_id] = replace(self.rows[token_id], last_used_at=at)

    def revoke(self, token_id: str, at: datetime) -> None:
        self.rows[token_id] = replace(self.rows[token_id], revoked_at=at)


class FakeSessionRepository:
    def __init__(self) -> None:
        self.rows: dict[str, WebSession] = {}

    def add(self, session: WebSession) -> None:
        self.rows[session.id] = session

    def get(self, session_id: str) -> WebSession | None:
        return self.rows.get(session_id)

    def end(self, session_id: str, at: datetime) -> None:
        self.rows[session_id] = replace(self.rows[session_id], ended_at=at)

    def end_all_for(self, staff_id: str, at: datetime) -> None:
        for s in list(self.rows.values()):
            if s.staff_id == staff_id and s.ended_at is None:
                self.end(s.id, at)


class FakeUnitOfWork:
    """Commits are counted; leaving without commit discards nothing here, so tests that care
    about rollback use the SQL unit of work instead."""

    def __init__(self, clock: Clock) -> None:
        self.staff = FakeStaffRepository()
        self.tokens = FakeTokenRepository()
        self.sessions = FakeSessionRepository()
        self.audit = FakeAuditLog(clock)
        self.commits = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def commit(self) -> None:
        self.commits += 1

    @contextmanager
    def reading(self) -> Iterator[Self]:
        with self:
            yield self


class PlainPasswordHasher:
    """Reversible 'hash' for unit tests: the real argon2 adapter has its own tests."""

    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain$" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False
