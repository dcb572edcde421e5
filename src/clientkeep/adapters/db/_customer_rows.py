"""What the repositories of a customer's own rows share: a row per record, its customer in
`customer_id`, one sealed text column bound to (table, column, row id), kept in time order.
Verification attempts and disclosures are kept this way."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, select, update

from clientkeep.adapters.db._sealing import Sealer


def rows_of(conn: Connection, table: Table, customer_id: str) -> Sequence[Any]:
    """The customer's rows, oldest first (ties by id)."""
    return conn.execute(
        select(table).where(table.c.customer_id == customer_id).order_by(table.c.at, table.c.id)
    ).all()


def rehome_rows(
    conn: Connection,
    sealer: Sealer,
    table: Table,
    sealed: str,
    row_ids: Sequence[str],
    customer_id: str,
) -> None:
    """Give these rows to another customer (a merge): the sealed column opened under the old
    customer's key and sealed again under the new one's, bound to the same row."""
    if not row_ids:
        return
    target = sealer.cipher(customer_id)
    for row in conn.execute(select(table).where(table.c.id.in_(row_ids))).all():
        plain = sealer.cipher(row.customer_id).open_text(
            table.name, sealed, row.id, row._mapping[sealed]
        )
        conn.execute(
            update(table)
            .where(table.c.id == row.id)
            .values(
                customer_id=customer_id,
                **{sealed: target.seal_text(table.name, sealed, row.id, plain)},
            )
        )


def delete_rows(conn: Connection, table: Table, row_ids: Sequence[str]) -> int:
    if not row_ids:
        return 0
    done = conn.execute(delete(table).where(table.c.id.in_(row_ids)))
    return int(done.rowcount or 0)
