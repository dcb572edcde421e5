"""The key store's own schema: a separate database from the customer data."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Integer, LargeBinary, MetaData, String, Table

from clientkeep.adapters.db.metadata import NAMING_CONVENTION

VERSION_TABLE = "keystore_alembic_version"

# Its own MetaData (a separate database), named by the same convention as the main one.
metadata = MetaData(naming_convention=NAMING_CONVENTION)

# One row per version of a customer's data key; each sealed value names its version.
data_key = Table(
    "data_key",
    metadata,
    Column("customer_id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("master_version", Integer, nullable=False, index=True),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

keystore_secret = Table(
    "keystore_secret",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("master_version", Integer, nullable=False),
    Column("wrapped_key", LargeBinary, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Evidence that a customer was crypto-shredded, and a guard against making them a new key.
# It deliberately holds no key material.
key_destruction = Table(
    "key_destruction",
    metadata,
    Column("customer_id", String(64), primary_key=True),
    Column("destroyed_at", DateTime(timezone=True), nullable=False),
)

# Versions destroyed one at a time (a partial erasure) while the customer keeps a newer one.
# Also no key material; it keeps a destroyed version's number from ever being used again.
key_version_destruction = Table(
    "key_version_destruction",
    metadata,
    Column("customer_id", String(64), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("destroyed_at", DateTime(timezone=True), nullable=False),
)

# Checkpoints of the audit chain's head, kept apart from the main database so that a trail
# cut short there (its newest events deleted, an older head put back) is older than the
# newest checkpoint here. Rows are only ever added; the newest is the highest seq.
audit_checkpoint = Table(
    "audit_checkpoint",
    metadata,
    Column("chain", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("seal", String(64), nullable=False),
    Column("written_at", DateTime(timezone=True), nullable=False),
)
