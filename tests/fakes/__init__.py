"""In-memory stand-ins for the repositories, so use cases are tested without a database.

The fake unit of work behaves as the SQL one does where a use case could get it wrong: what is
not committed is gone when the outermost block ends, a nested block joins the open unit (and
its commit waits for the outermost one), and a reading unit refuses every write.
"""

from tests.fakes._store import FakeStore, WriteInReadingUnit
from tests.fakes.audit import FakeAuditLog
from tests.fakes.customers import (
    FakeCustomerRepository,
    FakeDuplicateRepository,
    FakeHistoryRepository,
    FakeIdempotencyRepository,
    FakeKeyOutbox,
    KeyDestruction,
    Resolution,
)
from tests.fakes.staff import (
    FakeSessionRepository,
    FakeStaffRepository,
    FakeTokenRepository,
    PlainPasswordHasher,
)
from tests.fakes.unit_of_work import FakeUnitOfWork

__all__ = [
    "FakeAuditLog",
    "FakeCustomerRepository",
    "FakeDuplicateRepository",
    "FakeHistoryRepository",
    "FakeIdempotencyRepository",
    "FakeKeyOutbox",
    "FakeSessionRepository",
    "FakeStaffRepository",
    "FakeStore",
    "FakeTokenRepository",
    "FakeUnitOfWork",
    "KeyDestruction",
    "PlainPasswordHasher",
    "Resolution",
    "WriteInReadingUnit",
]
