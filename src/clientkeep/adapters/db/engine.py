"""Engines for SQLite (one desk) and PostgreSQL (a team), set up the same way everywhere."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, create_engine, event

# SQLite takes one writer at a time, and every unit of work writes (its audit event). Threads
# of one process queue on this lock instead of in SQLite's busy handler, which sleeps and
# retries in steps of milliseconds: under load that sleeping, not the work, set the pace.
# The execution option that marks a connection as a reading unit's.
READ_ONLY = "clientkeep_read_only"
_WRITERS: WeakKeyDictionary[Engine, threading.RLock] = WeakKeyDictionary()


def writer_lock(engine: Engine) -> threading.RLock | None:
    """The lock a unit of work holds from BEGIN to its end, where the backend needs one."""
    return _WRITERS.get(engine)


def make_engine(url: str, **kwargs: Any) -> Engine:
    # Bound values are personal data (or blind-index tokens of it): keep them out of the
    # messages of database errors and out of SQL logging, whatever logs or traces those reach.
    kwargs["hide_parameters"] = True
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        _WRITERS[engine] = threading.RLock()
        return engine
    return create_engine(url, pool_pre_ping=True, **kwargs)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so we can BEGIN IMMEDIATE ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        # Up to 256 MiB of page cache per connection (the default is 2 MiB), taken only as
        # pages are read: the blind index's B-trees are the hot set of every lookup and every
        # insert, and a bulk import into a million customers slowed by half with 64 MiB.
        cursor.execute("PRAGMA cache_size=-262144")
        # Overwrite deleted content, so erased and superseded ciphertext does not linger in
        # free pages of the file.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get(READ_ONLY):
            # A reading unit never writes (query_only makes sure), so a deferred BEGIN takes
            # no write lock and a long read (audit verify) never holds up a writer.
            conn.exec_driver_sql("BEGIN")
            return
        # A writing unit takes the write lock up front: two deferred transactions that both
        # try to upgrade to writing end in a deadlock-shaped "database is locked".
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def driver_of(conn: Connection) -> Any:
    # Straight to the driver: through SQLAlchemy a PRAGMA would begin a transaction of its own.
    return conn.connection.driver_connection


def open_reading(engine: Engine) -> Connection:
    """A connection for a transaction that only reads: no writer lock, refused any write."""
    conn = engine.connect()
    conn.execution_options(**{READ_ONLY: True})
    if conn.dialect.name == "sqlite":
        # Any write here is a bug: SQLite refuses it instead of silently upgrading to the
        # write lock.
        driver_of(conn).execute("PRAGMA query_only=ON")
    else:
        conn.execution_options(postgresql_readonly=True)
    return conn


def release_reading(conn: Connection) -> None:
    """Roll back and give the connection back to the pool, able to write again."""
    try:
        if conn.in_transaction():
            conn.rollback()
        if conn.dialect.name == "sqlite":
            driver_of(conn).execute("PRAGMA query_only=OFF")
    finally:
        conn.close()


@contextmanager
def reading_connection(engine: Engine) -> Iterator[Connection]:
    """A reading transaction of its own, beside whatever unit this thread has open."""
    conn = open_reading(engine)
    try:
        conn.begin()
        yield conn
    finally:
        release_reading(conn)


# PostgreSQL's text types cannot hold U+0000; the driver refuses such a parameter before the
# statement runs. No value we store holds one (values are validated, sealed values are bytes),
# so it can only be an id, a cursor or a name typed with one: bad input, never a server error.
NUL_REFUSED = "A value in the request holds the character U+0000, which nothing here can hold."


def refused_nul(exc: BaseException) -> bool:
    """Whether ``exc`` is the database refusing a text parameter holding U+0000. Checked only
    on the way out of a failed request, so a statement that works pays nothing for it."""
    from sqlalchemy.exc import DataError

    return isinstance(exc, DataError) and "NUL (0x00)" in str(exc.orig)
