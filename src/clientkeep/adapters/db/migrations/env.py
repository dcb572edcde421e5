"""Alembic environment for the main database; run through clientkeep.adapters.db.migrate."""

from __future__ import annotations

from alembic import context

from clientkeep.adapters.db import (  # noqa: F401  (registers tables)
    customer_tables,
    disclosure_tables,
    outbox_tables,
    representative_tables,
    tables,
    verification_tables,
)
from clientkeep.adapters.db.metadata import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
