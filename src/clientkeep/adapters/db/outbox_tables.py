"""The outbox of messages to customers. The recipient, subject and body are sealed under the
customer's key; the rest is the message's state and fixed vocabularies (channel, kind,
purpose, the names of the fields it holds), which say nothing about the person."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, LargeBinary, String, Table, Text

from clientkeep.adapters.db.metadata import metadata
from clientkeep.adapters.db.types import UtcDateTime

outbox_message = Table(
    "outbox_message",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False, index=True),
    Column("channel", String(8), nullable=False),  # "email" or "sms"
    Column("kind", String(32), nullable=False),  # what it is for, e.g. "one_time_code"
    Column("purpose", String(64), nullable=False),
    # JSON: {"to": the recipient's field, "quotes": [fields the text quotes]}; names only.
    Column("fields", Text, nullable=False),
    Column("recipient", LargeBinary, nullable=False),
    Column("subject", LargeBinary, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("status", String(16), nullable=False),  # waiting, sending, sent, dead
    Column("attempts", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("next_attempt_at", UtcDateTime, nullable=True),
    # While "sending": the worker holding it, and until when.
    Column("lease_until", UtcDateTime, nullable=True),
    Column("leased_by", String(32), nullable=True),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("provider_id", String(256), nullable=True),
    # What went wrong last, with the message's own parts redacted; never the body.
    Column("last_error", String(500), nullable=True),
    Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
    Index("ix_outbox_message_status_created_at", "status", "created_at", "id"),
    Index("ix_outbox_message_created_at", "created_at", "id"),
)
