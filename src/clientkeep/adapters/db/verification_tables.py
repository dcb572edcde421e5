"""Checks that a caller was the customer: when, by whom, how, and whether they passed.

What the caller stated is never stored; which details they were asked for is sealed under the
customer's key. The outcome and the times stay plain, since counting recent failures (the
lockout) and checking an expiry must not open every row.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, LargeBinary, String, Table

from clientkeep.adapters.db.metadata import metadata
from clientkeep.adapters.db.types import UtcDateTime

verification_attempt = Table(
    "verification_attempt",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False),
    Column("staff_id", String(32), nullable=False),
    Column("method", String(32), nullable=False),
    Column("passed", Boolean, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    # JSON list of the field names stated, sealed.
    Column("stated", LargeBinary, nullable=False),
    # Set when the caller checked was a representative of the customer, with their own answers.
    Column("representative_id", String(32), nullable=True),
    # The lockout counts a customer's recent failures; the access pack lists their attempts.
    Index("ix_verification_attempt_customer_at", "customer_id", "at"),
    # The review queue's locked customers: the failures in the window, across customers.
    Index("ix_verification_attempt_passed_at", "passed", "at"),
)

# One-time codes sent to a customer for one member of staff to check. Only a keyed digest of
# the code is kept, with its times: nothing the customer told us. The latest code of a
# customer and member of staff replaces the one before, so there is at most one of each pair.
verification_code = Table(
    "verification_code",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False),
    Column("staff_id", String(32), nullable=False),
    Column("channel", String(8), nullable=False),
    # HMAC-SHA256 of the row's id and the code, under a key of its own from the key store.
    Column("digest", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    # Set by the one check that takes it (UPDATE ... WHERE used_at IS NULL).
    Column("used_at", UtcDateTime, nullable=True),
    Index("ix_verification_code_customer_staff", "customer_id", "staff_id"),
)
