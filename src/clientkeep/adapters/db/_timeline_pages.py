"""One page of a customer's rows for the timeline: newest first below a (time, id) key, in one
indexed range (``ORDER BY at DESC, id DESC LIMIT``), so a long history costs a page, not a scan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Table, and_, or_, select
from sqlalchemy.sql.elements import ColumnElement


def page_rows(
    conn: Connection,
    table: Table,
    customer_id: str,
    *,
    at: str,
    before: tuple[datetime, str] | None,
    limit: int,
    where: Sequence[ColumnElement[bool]] = (),
) -> Sequence[Any]:
    when, ident = table.c[at], table.c.id
    query = select(table).where(table.c.customer_id == customer_id, *where)
    if before is not None:
        query = query.where(or_(when < before[0], and_(when == before[0], ident < before[1])))
    return conn.execute(query.order_by(when.desc(), ident.desc()).limit(limit)).all()
