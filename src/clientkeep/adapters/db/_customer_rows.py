"""What the repositories of a customer's own rows share: a row per record, its customer in
`customer_id`, sealed text columns bound to (table, column, row id), kept in time order.
Verification attempts, disclosures, representatives and third-party requests are kept so."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, select, update

from clientkeep.adapters.db._sealing import Sealer


def rows_of(conn: Connection, table: Table, customer_id: str, *, at: str = "at") -> Sequence[Any]:
    """The customer's rows, oldest first by the ``at`` column (ties by id)."""
    return conn.execute(
        select(table).where(table.c.customer_id == customer_id).order_by(table.c[at], table.c.id)
    ).all()


def rehome_rows(
    conn: Connection,
    sealer: Sealer,
    table: Table,
    sealed: str | tuple[str, ...],
    row_ids: Sequence[str],
    customer_id: str,
) -> None:
    """Give these rows to another customer (a merge): each sealed column (one may be empty)
    opened under the old customer's key and sealed again under the new one's, bound to the
    same row."""
    if not row_ids:
        return
    columns = (sealed,) if isinstance(sealed, str) else sealed
    target = sealer.cipher(customer_id)
    for row in conn.execute(select(table).where(table.c.id.in_(row_ids))).all():
        source = sealer.cipher(row.customer_id)
        values: dict[str, Any] = {"customer_id": customer_id}
        for column in columns:
            blob = row._mapping[column]
            if blob is not None:
                plain = source.open_text(table.name, column, row.id, blob)
                values[column] = target.seal_text(table.name, column, row.id, plain)
        conn.execute(update(table).where(table.c.id == row.id).values(**values))


def delete_rows(conn: Connection, table: Table, row_ids: Sequence[str]) -> int:
    if not row_ids:
        return 0
    done = conn.execute(delete(table).where(table.c.id.in_(row_ids)))
    return int(done.rowcount or 0)
