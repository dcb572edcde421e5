"""Alembic environment for the key store; run through clientkeep.adapters.crypto.setup."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from clientkeep.adapters.crypto._engine import make_keystore_engine
from clientkeep.adapters.crypto.tables import VERSION_TABLE, metadata


def _run(connection: Connection) -> None:
    # A distinct version table lets the key store share a PostgreSQL database (tests) with
    # the main schema without the two migration histories clashing.
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:  # the plain `alembic` command line, with sqlalchemy.url set
    engine = make_keystore_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()
