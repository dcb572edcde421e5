"""Many-row inserts with the driver's executemany, for bulk registration.

SQLAlchemy's executemany builds and type-processes a parameter dict per row, which costs more
than the database's own insert at a million rows. Here each column's bind processor runs once
per distinct value (a batch shares its timestamps) and rows go to the driver as tuples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Integer, LargeBinary, String, Table

_PLACEHOLDER = {"qmark": "?", "format": "%s", "pyformat": "%s"}


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    names = list(rows[0])
    dialect = conn.dialect
    placeholder = _PLACEHOLDER.get(dialect.paramstyle)
    if placeholder is None:  # an unusual driver: fall back to the ordinary path
        conn.execute(table.insert(), list(rows))
        return
    processors = []
    for name in names:
        column_type = table.c[name].type
        # Text, bytes and integers go to both drivers as they are; times need converting.
        plain = isinstance(column_type, String | LargeBinary | Integer)
        process = None if plain else column_type._cached_bind_processor(dialect)
        processors.append(None if process is None else _memoised(process))
    quote = dialect.identifier_preparer.quote
    columns = ", ".join(quote(n) for n in names)
    marks = ", ".join([placeholder] * len(names))
    # Only identifiers from our own table definitions are interpolated; values are bound.
    sql = f"INSERT INTO {quote(table.name)} ({columns}) VALUES ({marks})"  # noqa: S608
    params = [
        tuple(row[n] if p is None else p(row[n]) for n, p in zip(names, processors, strict=True))
        for row in rows
    ]
    conn.exec_driver_sql(sql, params)


def _memoised(process: Any) -> Any:
    seen: dict[Any, Any] = {}

    def run(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = done = process(value)
            return done
        except TypeError:  # unhashable
            return process(value)

    return run
