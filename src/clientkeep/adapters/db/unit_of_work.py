"""The SQL unit of work: one connection, one transaction, explicit commit."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from types import TracebackType
from typing import Self

from sqlalchemy import Connection, Engine

from clientkeep.adapters.crypto.blind_index import BlindIndexer
from clientkeep.adapters.crypto.checkpoints import CheckpointStore
from clientkeep.adapters.db._sealing import Sealer
from clientkeep.adapters.db.audit_repository import SqlAuditLog
from clientkeep.adapters.db.complaint_repository import SqlComplaintRepository
from clientkeep.adapters.db.customer_repository import SqlCustomerRepository
from clientkeep.adapters.db.disclosure_repository import SqlDisclosureRepository
from clientkeep.adapters.db.engine import (
    open_reading,
    reading_connection,
    release_reading,
    writer_lock,
)
from clientkeep.adapters.db.feedback_repository import SqlFeedbackRepository
from clientkeep.adapters.db.history_repository import SqlHistoryRepository
from clientkeep.adapters.db.interaction_repository import SqlInteractionRepository
from clientkeep.adapters.db.key_outbox import SqlKeyOutbox
from clientkeep.adapters.db.outbox_repository import SqlOutboxRepository
from clientkeep.adapters.db.representative_repository import SqlRepresentativeRepository
from clientkeep.adapters.db.review_repository import (
    SqlDuplicateRepository,
    SqlIdempotencyRepository,
)
from clientkeep.adapters.db.staff_repository import (
    SqlSessionRepository,
    SqlStaffRepository,
    SqlTokenRepository,
)
from clientkeep.adapters.db.third_party_request_repository import SqlThirdPartyRequestRepository
from clientkeep.adapters.db.verification_repository import SqlVerificationRepository
from clientkeep.audit.ports import AuditLog
from clientkeep.complaints.ports import ComplaintRepository
from clientkeep.customers.ports import (
    CustomerRepository,
    DuplicateRepository,
    HistoryRepository,
    IdempotencyRepository,
)
from clientkeep.feedback.ports import FeedbackRepository
from clientkeep.interactions.ports import InteractionRepository
from clientkeep.outbox.ports import OutboxRepository
from clientkeep.shared.clock import Clock
from clientkeep.shared.key_outbox import KeyOutbox
from clientkeep.staff.ports import SessionRepository, StaffRepository, TokenRepository
from clientkeep.verification.ports import (
    DisclosureRepository,
    RepresentativeRepository,
    ThirdPartyRequestRepository,
    VerificationRepository,
)


@dataclass(frozen=True)
class StorageKeys:
    """Keys the repositories need, all derived from secrets in the key store."""

    audit_head: bytes
    idempotency: bytes
    sealer: Sealer
    indexer: BlindIndexer
    checkpoints: CheckpointStore | None = None


class SqlUnitOfWork:
    """Repositories share one transaction; leaving the block without commit rolls it back."""

    # Typed as the ports, so this satisfies every capability's unit-of-work protocol.
    staff: StaffRepository
    tokens: TokenRepository
    sessions: SessionRepository
    audit: AuditLog
    customers: CustomerRepository
    history: HistoryRepository
    duplicates: DuplicateRepository
    idempotency: IdempotencyRepository
    key_outbox: KeyOutbox
    outbox: OutboxRepository
    verifications: VerificationRepository
    disclosures: DisclosureRepository
    representatives: RepresentativeRepository
    third_party_requests: ThirdPartyRequestRepository
    complaints: ComplaintRepository
    feedback: FeedbackRepository
    interactions: InteractionRepository

    def __init__(self, engine: Engine, clock: Clock, keys: Callable[[], StorageKeys]) -> None:
        self._engine = engine
        self._clock = clock
        self._keys = keys
        self._conn: Connection | None = None
        self._lock: threading.RLock | None = None
        self._depth = 0
        self._read_only = False
        self._after_commit: list[Callable[[], None]] = []

    def __enter__(self) -> Self:
        # Re-entrant so a use case may call a helper that opens the same unit again.
        self._depth += 1
        if self._depth == 1:
            try:
                self._open()
            except BaseException:
                # __exit__ is not called when __enter__ raises: undo the count here, or every
                # later block would take itself for a nested one and run without a connection.
                self._depth -= 1
                self._close()
                raise
        return self

    @contextmanager
    def reading(self) -> Iterator[Self]:
        if self._depth:
            # Already inside a unit (a writing one, perhaps): reads join it.
            with self:
                yield self
            return
        self._read_only = True
        try:
            with self:
                yield self
        finally:
            self._read_only = False

    def _open(self) -> None:
        keys = self._keys()
        self._lock = None if self._read_only else writer_lock(self._engine)
        if self._lock is not None:
            self._lock.acquire()
        self._conn = open_reading(self._engine) if self._read_only else self._engine.connect()
        conn = self._conn
        conn.begin()
        self._after_commit = []
        self.staff = SqlStaffRepository(conn)
        self.tokens = SqlTokenRepository(conn)
        self.sessions = SqlSessionRepository(conn)
        self.audit = SqlAuditLog(
            conn,
            self._clock,
            keys.audit_head,
            after_commit=self._after_commit.append,
            checkpoints=keys.checkpoints,
            reader=partial(reading_connection, self._engine),
        )
        # Keys are destroyed after commit, through requests written in this transaction.
        self.key_outbox = SqlKeyOutbox(conn, keys.sealer, self._clock, self._after_commit.append)
        self.customers = SqlCustomerRepository(conn, keys.sealer, keys.indexer, self.key_outbox)
        self.history = SqlHistoryRepository(conn, keys.sealer)
        self.duplicates = SqlDuplicateRepository(conn)
        self.idempotency = SqlIdempotencyRepository(conn, keys.idempotency)
        # Messages to customers, sealed like their records, delivered after commit.
        self.outbox = SqlOutboxRepository(conn, keys.sealer)
        self.verifications = SqlVerificationRepository(conn, keys.sealer)
        self.disclosures = SqlDisclosureRepository(conn, keys.sealer)
        self.third_party_requests = SqlThirdPartyRequestRepository(conn, keys.sealer)
        self.representatives = SqlRepresentativeRepository(conn, keys.sealer)
        self.complaints = SqlComplaintRepository(conn, keys.sealer)
        self.feedback = SqlFeedbackRepository(conn, keys.sealer)
        self.interactions = SqlInteractionRepository(conn, keys.sealer)

    def _close(self) -> None:
        lock, self._lock = self._lock, None
        try:
            if self._conn is None:
                return
            try:
                if self._read_only:
                    release_reading(self._conn)  # back to the pool, able to write again
                else:
                    try:
                        if self._conn.in_transaction():
                            self._conn.rollback()
                    finally:
                        self._conn.close()
            finally:
                self._conn = None
                self._after_commit.clear()
        finally:
            if lock is not None:
                lock.release()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0:
            self._close()

    def commit(self) -> None:
        if self._conn is None:
            raise RuntimeError("commit outside a unit of work")
        if self._depth == 1:
            self._conn.commit()
            # Irreversible work (destroying keys) runs only once the change is durable.
            pending, self._after_commit[:] = list(self._after_commit), []
            for action in pending:
                action()
