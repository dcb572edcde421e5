"""Disclosures: who told whom which of a customer's details, when, how, on what check.

To whom is free text about a person, sealed under the customer's key. Field names, times,
the channel and the verification are plain: they say what happened, never what was said.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, LargeBinary, String, Table, Text

from clientkeep.adapters.db.metadata import metadata
from clientkeep.adapters.db.types import UtcDateTime

disclosure = Table(
    "disclosure",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False),
    Column("staff_id", String(32), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("purpose", String(64), nullable=False),
    Column("channel", String(16), nullable=False),
    # JSON list of the field names told, in the order asked for.
    Column("fields", Text, nullable=False),
    # What the disclosure rested on: a verification of the caller, or an approved
    # third-party request. Exactly one is set.
    Column("verification_id", String(32), nullable=True),
    Column("request_id", String(32), nullable=True),
    Column("recipient", LargeBinary, nullable=False),
    # The log and the access pack list a customer's disclosures in time order.
    Index("ix_disclosure_customer_at", "customer_id", "at"),
)
