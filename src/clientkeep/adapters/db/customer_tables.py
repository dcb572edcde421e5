"""Tables for customer records. Every personal value is a sealed blob; the rest is metadata
(ids, times, field names, fixed vocabularies) that holds nothing about the person."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, LargeBinary, String, Table, Text

from clientkeep.adapters.db.metadata import metadata
from clientkeep.adapters.db.types import UtcDateTime

# Every customer-owned table carries customer_id, the future Citus distribution key.
customer = Table(
    "customer",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("merged_into", String(32), nullable=True),
    Column("merged_at", UtcDateTime, nullable=True),
    # The list of customers pages along these, by key and id, in either direction: names are
    # sealed, so times are what the database can order the book by.
    Index("ix_customer_updated_at_id", "updated_at", "id"),
    Index("ix_customer_created_at_id", "created_at", "id"),
)

customer_field = Table(
    "customer_field",
    metadata,
    Column("customer_id", String(32), ForeignKey("customer.id"), primary_key=True),
    Column("field", String(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
    Column("source", String(16), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(64), nullable=False),
    Column("confirmed_at", UtcDateTime, nullable=True),
    Column("confirmed_method", String(64), nullable=True),
    Column("condition", String(64), nullable=True),
    # confirmed_at, or updated_at if never confirmed: what the staleness rules look at.
    Column("last_confirmed_at", UtcDateTime, nullable=False),
    Index("ix_customer_field_field_last_confirmed_at", "field", "last_confirmed_at"),
)

customer_change = Table(
    "customer_change",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False, index=True),
    Column("field", String(64), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("old_value", LargeBinary, nullable=True),
    Column("new_value", LargeBinary, nullable=True),
    Column("reason", LargeBinary, nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
    Column("changed_by", String(64), nullable=False),
)

blind_index = Table(
    "blind_index",
    metadata,
    Column("customer_id", String(32), ForeignKey("customer.id"), primary_key=True),
    Column("field", String(64), primary_key=True),
    Column("kind", String(24), primary_key=True),
    Column("token", LargeBinary(32), primary_key=True),
    # Tokens are keyed per kind, so a token alone identifies its kind: one narrow index.
    Index("ix_blind_index_token", "token"),
    # Scanning the whole book for tokens of one kind that customers share (duplicates).
    Index("ix_blind_index_kind_token", "kind", "token"),
)

duplicate_suspect = Table(
    "duplicate_suspect",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False, index=True),
    Column("other_id", String(32), ForeignKey("customer.id"), nullable=False, index=True),
    Column("reasons", Text, nullable=False),  # fixed phrases such as "same email"
    Column("detected_at", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("resolution", String(64), nullable=True),
)

idempotency_key = Table(
    "idempotency_key",
    metadata,
    Column("actor_id", String(64), primary_key=True),
    Column("key_digest", String(64), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)
