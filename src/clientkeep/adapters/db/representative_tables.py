"""People with authority to act for a customer, and requests from third parties for a
customer's details.

Both hold words about people (a representative's name, a police officer's collar number, why
the data is wanted), sealed under the customer's key. What the software decides on stays
plain: the kind of authority or the legal basis, the field names in scope, the status and the
times, so a queue can be listed and an expiry checked without opening every row.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, LargeBinary, String, Table, Text

from clientkeep.adapters.db.metadata import metadata
from clientkeep.adapters.db.types import UtcDateTime

representative = Table(
    "representative",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False),
    # lasting_power_of_attorney, deputyship, parental_responsibility, solicitors_letter
    Column("authority", String(32), nullable=False),
    # JSON lists of field names and action names the representative may be told or do.
    Column("scope_fields", Text, nullable=False),
    Column("scope_actions", Text, nullable=False),
    Column("expires_at", UtcDateTime, nullable=True),
    # pending, approved, refused, revoked
    Column("status", String(16), nullable=False),
    Column("created_by", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("decided_by", String(32), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    # Sealed JSON: name, relationship, the authority's reference, the evidence seen.
    Column("details", LargeBinary, nullable=False),
    # Sealed JSON: the representative's own answers for verifying them, normalised.
    Column("answers", LargeBinary, nullable=False),
    # Sealed: why it was approved, refused or revoked.
    Column("decision", LargeBinary, nullable=True),
    Index("ix_representative_customer_created", "customer_id", "created_at"),
    Index("ix_representative_status_created", "status", "created_at"),
)

third_party_request = Table(
    "third_party_request",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False),
    # The purpose the fields are read under, and the lawful basis or exemption relied on.
    Column("purpose", String(64), nullable=False),
    Column("basis", String(64), nullable=False),
    # JSON list of the field names asked for; the approved ones once decided.
    Column("fields", Text, nullable=False),
    Column("approved_fields", Text, nullable=True),
    # pending, approved, refused, disclosed
    Column("status", String(16), nullable=False),
    Column("created_by", String(32), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("decided_by", String(32), nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    # The disclosure that answered it: an approved request is used once.
    Column("disclosure_id", String(32), nullable=True),
    # Sealed JSON: requester, organisation, how their identity was checked, their reference,
    # what they said the data is for.
    Column("details", LargeBinary, nullable=False),
    # Sealed: the reason for approving or refusing.
    Column("decision", LargeBinary, nullable=True),
    Index("ix_third_party_request_customer_created", "customer_id", "created_at"),
    Index("ix_third_party_request_status_created", "status", "created_at"),
)
