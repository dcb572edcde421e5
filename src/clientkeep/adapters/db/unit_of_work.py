"""The SQL unit of work: one connection, one transaction, explicit commit."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from clientkeep.adapters.db.audit_repository import SqlAuditLog
from clientkeep.adapters.db.staff_repository import (
    SqlSessionRepository,
    SqlStaffRepository,
    SqlTokenRepository,
)
from clientkeep.audit.ports import AuditLog
from clientkeep.shared.clock import Clock
from clientkeep.staff.ports import SessionRepository, StaffRepository, TokenRepository


class SqlUnitOfWork:
    """Repositories share one transaction; leaving the block without commit rolls it back."""

    # Typed as the ports, so this satisfies every capability's unit-of-work protocol.
    staff: StaffRepository
    tokens: TokenRepository
    sessions: SessionRepository
    audit: AuditLog

    def __init__(self, engine: Engine, clock: Clock, *, audit_head_key: bytes) -> None:
        self._engine = engine
        self._clock = clock
        self._audit_head_key = audit_head_key
        self._conn: Connection | None = None
        self._depth = 0

    def __enter__(self) -> Self:
        # Re-entrant so a use case may call a helper that opens the same unit again.
        self._depth += 1
        if self._depth == 1:
            self._conn = self._engine.connect()
            self._conn.begin()
            conn = self._conn
            self.staff = SqlStaffRepository(conn)
            self.tokens = SqlTokenRepository(conn)
            self.sessions = SqlSessionRepository(conn)
            self.audit = SqlAuditLog(conn, self._clock, self._audit_head_key)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0 and self._conn is not None:
            try:
                if self._conn.in_transaction():
                    self._conn.rollback()
            finally:
                self._conn.close()
                self._conn = None

    def commit(self) -> None:
        if self._conn is None:
            raise RuntimeError("commit outside a unit of work")
        if self._depth == 1:
            self._conn.commit()
