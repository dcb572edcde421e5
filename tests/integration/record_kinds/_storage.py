"""Looking at a kind's rows the way an attacker with the database would: raw SQL and bytes.

Nothing here knows the sealed-value format: blobs are copied and searched for whole.
"""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Table, and_, func, select, text, update
from sqlalchemy.engine import make_url

from clientkeep.adapters.db.record_kind_tables import KIND_TABLES


@dataclass(frozen=True)
class Cell:
    """One sealed value: where it is (table, column, primary key) and its stored bytes."""

    table: Table
    column: str
    key: tuple[tuple[str, Any], ...]
    blob: bytes

    @property
    def where(self) -> Any:
        return and_(*(self.table.c[name] == value for name, value in self.key))

    @property
    def row_key(self) -> tuple[tuple[str, Any], ...]:
        """The primary key without the customer: equal for "the same row" of two customers."""
        return tuple((n, v) for n, v in self.key if n != "customer_id")


def row_tables(kind: str) -> tuple[Table, ...]:
    """The kind's tables holding sealed values: one row of them per row the kind reports."""
    spec = KIND_TABLES[kind]
    return tuple(t for t in spec.tables if t.name in spec.sealed)


def derived_tables(kind: str) -> tuple[Table, ...]:
    """The kind's other tables (blind-index tokens): derived from its values, none sealed."""
    spec = KIND_TABLES[kind]
    return tuple(t for t in spec.tables if t.name not in spec.sealed)


def sealed_cells(container: Any, kind: str, customer_id: str) -> list[Cell]:
    spec = KIND_TABLES[kind]
    cells = []
    with container.engine.connect() as conn:
        for table in spec.tables:
            keys = list(table.primary_key.columns)
            for column in spec.sealed.get(table.name, ()):
                rows = conn.execute(
                    select(*keys, table.c[column])
                    .where(table.c.customer_id == customer_id, table.c[column].is_not(None))
                    .order_by(*keys)
                ).all()
                cells += [
                    Cell(table, column, tuple((k.name, r[i]) for i, k in enumerate(keys)), r[-1])
                    for r in rows
                ]
    return cells


def put(container: Any, cell: Cell, blob: bytes) -> None:
    """Overwrite one sealed value with SQL, as someone with write access to the database."""
    with container.engine.begin() as conn:
        done = conn.execute(update(cell.table).where(cell.where).values({cell.column: blob}))
        assert done.rowcount == 1


def count_of(container: Any, table: Table, customer_id: str) -> int:
    with container.engine.connect() as conn:
        query = select(func.count()).select_from(table).where(table.c.customer_id == customer_id)
        return int(conn.execute(query).scalar_one())


def customers_in(container: Any, table: Table) -> set[str]:
    with container.engine.connect() as conn:
        return set(conn.execute(select(table.c.customer_id).distinct()).scalars())


def encodings(word: str) -> list[bytes]:
    raw = word.encode()
    return [
        raw,
        word.lower().encode(),
        word.upper().encode(),
        word.encode("utf-16-le"),
        word.encode("utf-16-be"),
        base64.b64encode(raw),
        raw.hex().encode(),
    ]


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    assert database, url
    return Path(database)


def database_files(container: Any) -> list[Path]:
    """The main database, its WAL and the key store's files: every file a value could reach."""
    settings = container.settings
    files = []
    for url in (settings.database_url, settings.keystore_url):
        path = _sqlite_path(url)
        files += [p for p in (path, Path(f"{path}-wal")) if p.exists()]
    return files


def canaries_found(container: Any, backend: str, words: Iterable[str]) -> set[tuple[str, str]]:
    """(where, word) for each canary found in plaintext at rest, in any of several encodings."""
    words = list(words)
    if backend == "postgres":
        return _in_postgres(container, words)
    files = database_files(container)
    assert any(p.name.endswith("-wal") for p in files), "expected a WAL file to scan"
    found = set()
    for path in files:
        data = path.read_bytes()
        found |= {(path.name, w) for w in words if any(f in data for f in encodings(w))}
    return found


def postgres_tables(container: Any) -> list[str]:
    with container.engine.connect() as conn:
        query = text(
            "select table_name from information_schema.tables "
            "where table_schema = current_schema() and table_type = 'BASE TABLE'"
        )
        return list(conn.execute(query).scalars())


def _in_postgres(container: Any, words: list[str]) -> set[tuple[str, str]]:
    # The key store shares the test's schema, so this covers its tables too. A bytea column
    # reads back as hex, which the hex encoding of each word catches.
    found = set()
    with container.engine.connect() as conn:
        for table in postgres_tables(container):
            rows = conn.execute(text(f'select t::text from "{table}" t')).scalars()  # noqa: S608
            for row in rows:
                folded = row.casefold()
                for w in words:
                    forms = [f.decode() for f in encodings(w)]
                    if w.casefold() in folded or any(f in row for f in forms):
                        found.add((table, w))
    return found


def checkpointed_main_database(container: Any) -> bytes:
    """The main database file and WAL after a full checkpoint, from a connection of its own."""
    path = _sqlite_path(container.settings.database_url)
    conn = sqlite3.connect(path)
    try:
        busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    assert busy == 0, "the checkpoint could not finish: a connection is still reading"
    wal = Path(f"{path}-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def audit_events(container: Any, action: str, customer_id: str | None = None) -> list[Any]:
    with container.uow().reading() as uow:
        return uow.audit.page(after_seq=0, limit=1000, action=action, customer_id=customer_id)
