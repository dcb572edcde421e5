"""Key-store upkeep that needs the main database: pending destructions and orphaned keys.

An orphaned key belongs to a customer id that never reached the main database: the key store
is another database, so a registration that rolls back leaves its new key behind. It unlocks
nothing, but there is no reason to keep it. A key counts as orphaned only once it is older than
a grace period, so a registration still in progress (its key made, its customer row not yet
committed) is never mistaken for one; a live or merged customer always has a row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, func, make_url, select

from clientkeep.adapters.crypto.keystore import KeyStore
from clientkeep.adapters.db import migrate
from clientkeep.adapters.db.customer_tables import customer
from clientkeep.adapters.db.engine import READ_ONLY, make_engine
from clientkeep.adapters.db.key_outbox import Destroyer, carry_out, pending
from clientkeep.adapters.db.tables import key_destruction_request

GRACE = timedelta(hours=1)
# Shorter than this and a slow bulk-import batch could still be committing its customers.
MIN_GRACE = timedelta(minutes=10)
_BATCH = 500
_r = key_destruction_request.c
_WRONG_DATABASE = "the main database holds no customers: is CLIENTKEEP_DATABASE_URL right?"


class UpkeepError(Exception):
    """The main database cannot be used for key upkeep; the message says what to do."""


def open_main_database(url: str) -> Engine:
    """The main database, only if it exists and is on this version's schema."""
    parsed = make_url(url)
    database = parsed.database
    sqlite_file = parsed.get_backend_name() == "sqlite" and database and database != ":memory:"
    # Asking a missing SQLite file anything would create an empty one.
    if sqlite_file and not Path(str(database)).exists():
        raise UpkeepError(f"no clientkeep database at {database}: run `clientkeep init`")
    engine = make_engine(url)
    if migrate.current_revision(engine) != migrate.head_revision():
        engine.dispose()
        raise UpkeepError("the database schema is behind: run `clientkeep db upgrade`")
    return engine


@contextmanager
def _reading(engine: Engine) -> Iterator[Connection]:
    # Reads take no write lock (on SQLite a writing connection would), so a sweep never
    # waits behind, or holds up, a registration or merge in progress.
    with engine.connect() as conn:
        conn.execution_options(**{READ_ONLY: True})
        yield conn


@dataclass(frozen=True)
class PendingDestructions:
    count: int
    oldest_requested_at: datetime | None


def pending_destructions(engine: Engine) -> PendingDestructions:
    query = select(func.count(), func.min(_r.requested_at))
    with _reading(engine) as conn:
        count, oldest = conn.execute(query).one()
    return PendingDestructions(int(count), oldest)


@dataclass(frozen=True)
class Carried:
    done: int
    still_pending: int


def carry_out_pending(engine: Engine, keys: Destroyer) -> Carried:
    """Carry out every pending destruction; one that fails again stays for the next sweep."""
    done = failed = after = 0
    while True:
        with _reading(engine) as conn:
            page = pending(conn, after=after)
        if not page:
            return Carried(done, failed)
        with engine.connect() as conn:
            finished = carry_out(conn, keys, page)
        done, failed, after = done + finished, failed + len(page) - finished, page[-1].id


def orphans(engine: Engine, store: KeyStore, *, now: datetime, grace: timedelta) -> Iterator[str]:
    """Customer ids with data keys older than ``grace`` and no row in the main database.

    Both sides are compared a batch of ids at a time, so neither is ever read whole.
    """
    if grace < MIN_GRACE:
        raise ValueError(f"the grace period must be at least {MIN_GRACE}")
    after: str | None = None
    while page := store.keyed_before(now - grace, after=after, limit=_BATCH):
        with _reading(engine) as conn:
            known = set(conn.scalars(select(customer.c.id).where(customer.c.id.in_(page))))
        yield from (c for c in page if c not in known)
        after = page[-1]


def holds_customers(engine: Engine) -> bool:
    with _reading(engine) as conn:
        return conn.scalar(select(customer.c.id).limit(1)) is not None


@dataclass(frozen=True)
class Swept:
    destroyed: int  # pending destructions carried out
    still_pending: int
    orphans_removed: int
    orphans_left: int
    # Why orphaned keys were left alone, if they were.
    refused: str | None = None


def sweep(engine: Engine, store: KeyStore, *, now: datetime, grace: timedelta = GRACE) -> Swept:
    """Carry out pending destructions, then destroy orphaned keys. Running it again is safe."""
    carried = carry_out_pending(engine, store)
    if not holds_customers(engine):
        # A main database with no customers at all beside a key store that holds keys looks
        # like the wrong database (CLIENTKEEP_DATABASE_URL pointing elsewhere): with it, every
        # key would be an orphan. Leaving unused keys costs nothing; destroying all would not.
        left = sum(1 for _ in orphans(engine, store, now=now, grace=grace))
        refused = _WRONG_DATABASE if left else None
        return Swept(carried.done, carried.still_pending, 0, left, refused)
    removed = 0
    for customer_id in orphans(engine, store, now=now, grace=grace):
        store.destroy(customer_id)
        removed += 1
    return Swept(carried.done, carried.still_pending, removed, 0)


@dataclass(frozen=True)
class Upkeep:
    """What `keys status` shows from the main database's side; None where it cannot tell."""

    pending: PendingDestructions | None
    orphaned: int | None
    problem: str | None  # why the main database could not be used, or orphans are left alone


def upkeep_status(engine: Engine, store: KeyStore, *, now: datetime, grace: timedelta) -> Upkeep:
    found = sum(1 for _ in orphans(engine, store, now=now, grace=grace))
    problem = _WRONG_DATABASE if found and not holds_customers(engine) else None
    return Upkeep(pending_destructions(engine), found, problem)
