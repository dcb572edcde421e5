"""The key store's engine, and turning driver errors into KeystoreError at its boundary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError

from clientkeep.adapters.crypto.errors import KeystoreError


def make_keystore_engine(url: str, **kwargs: Any) -> Engine:
    # Bound values here are customer ids and wrapped keys: keep them out of error messages.
    kwargs["hide_parameters"] = True
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, **kwargs)
    engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets the many readers (every decrypt needs a key) run alongside a writer.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        # A destroyed key must not linger in the file's free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    return engine


@contextmanager
def db_errors() -> Iterator[None]:
    """One line an operator can act on ("connection refused", "no such table") and no SQL."""
    try:
        yield
    except IntegrityError:
        raise  # callers turn these into meaningful errors (a key that already exists)
    except DBAPIError as exc:
        lines = str(exc.orig).strip().splitlines()
        detail = lines[0] if lines else type(exc.orig).__name__
        raise KeystoreError(f"key store database error: {detail}") from exc
