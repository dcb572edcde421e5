"""The fake unit of work: it behaves as the SQL one does where a use case could get it wrong.

What is not committed is gone when the outermost block ends, a nested block joins the open
unit (and its commit waits for the outermost one), and a reading unit refuses every write.
Writes made outside any unit are kept: that is a test arranging what is already stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import Any, Self

from clientkeep.audit.ports import AuditLog
from clientkeep.customers.ports import (
    CustomerRepository,
    DuplicateRepository,
    HistoryRepository,
    IdempotencyRepository,
)
from clientkeep.shared.clock import Clock
from clientkeep.shared.key_outbox import KeyOutbox
from tests.fakes._store import FakeStore
from tests.fakes.audit import FakeAuditLog
from tests.fakes.customers import (
    FakeCustomerRepository,
    FakeDuplicateRepository,
    FakeHistoryRepository,
    FakeIdempotencyRepository,
    FakeKeyOutbox,
)
from tests.fakes.representatives import FakeRepresentativeRepository
from tests.fakes.staff import FakeSessionRepository, FakeStaffRepository, FakeTokenRepository
from tests.fakes.third_party_requests import FakeThirdPartyRequestRepository


class FakeUnitOfWork:
    """Every fake repository among its attributes (a test may swap one in) is rolled back to
    the last commit when the outermost block ends. ``commits`` counts every commit call."""

    # Typed as the ports, as the SQL unit is, so this satisfies CustomerUnitOfWork (a
    # protocol's attributes must match exactly); each holds the fake of that name.
    audit: AuditLog
    customers: CustomerRepository
    history: HistoryRepository
    duplicates: DuplicateRepository
    idempotency: IdempotencyRepository
    key_outbox: KeyOutbox

    def __init__(self, clock: Clock) -> None:
        self.staff = FakeStaffRepository()
        self.tokens = FakeTokenRepository()
        self.sessions = FakeSessionRepository()
        self.audit = FakeAuditLog(clock)
        outbox = FakeKeyOutbox()
        customers = FakeCustomerRepository(outbox)
        self.key_outbox = outbox
        self.customers = customers
        self.history = FakeHistoryRepository()
        self.duplicates = FakeDuplicateRepository(customers)
        self.idempotency = FakeIdempotencyRepository()
        self.representatives = FakeRepresentativeRepository()
        self.third_party_requests = FakeThirdPartyRequestRepository()
        self.commits = 0
        self.read_only = False
        self._depth = 0
        self._committed: list[tuple[FakeStore, dict[str, Any]]] = []

    def _stores(self) -> list[FakeStore]:
        return [v for v in vars(self).values() if isinstance(v, FakeStore)]

    def _snapshot(self) -> list[tuple[FakeStore, dict[str, Any]]]:
        return [(store, store.snapshot()) for store in self._stores()]

    def __enter__(self) -> Self:
        self._depth += 1
        if self._depth == 1:
            for store in self._stores():
                store._unit = self
            self._committed = self._snapshot()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._depth == 0:
            return  # a subclass entered without counting
        self._depth -= 1
        if self._depth == 0:
            for store, state in self._committed:
                store.restore(state)

    def commit(self) -> None:
        self.commits += 1
        # As in SQL, a nested block's commit is the outermost block's to make.
        if self._depth <= 1:
            self._committed = self._snapshot()

    @contextmanager
    def reading(self) -> Iterator[Self]:
        if self._depth:
            with self:  # inside an open unit: the read joins it
                yield self
            return
        self.read_only = True
        try:
            with self:
                yield self
        finally:
            self.read_only = False
