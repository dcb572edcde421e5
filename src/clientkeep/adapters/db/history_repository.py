"""Field history: old and new values and the reason, sealed like the record itself."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, delete, select, update

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.db._bulk import insert_rows
from clientkeep.adapters.db._sealing import Sealer
from clientkeep.adapters.db._timeline_pages import page_rows
from clientkeep.adapters.db.customer_tables import customer_change
from clientkeep.customers.model import Change, ChangeKind

TABLE = "customer_change"


def _seal(cipher: CustomerCipher, row_id: str, column: str, value: str | None) -> bytes | None:
    return None if value is None else cipher.seal_text(TABLE, column, row_id, value)


def _open(cipher: CustomerCipher, row_id: str, column: str, blob: bytes | None) -> str | None:
    return None if blob is None else cipher.open_text(TABLE, column, row_id, blob)


class SqlHistoryRepository:
    def __init__(self, conn: Connection, sealer: Sealer) -> None:
        self._conn = conn
        self._sealer = sealer

    def add(self, changes: Iterable[Change]) -> None:
        rows = []
        ciphers: dict[str, CustomerCipher] = {}
        for c in changes:
            cipher = ciphers.get(c.customer_id) or self._sealer.cipher(c.customer_id)
            ciphers[c.customer_id] = cipher
            rows.append(
                {
                    "id": c.id,
                    "customer_id": c.customer_id,
                    "field": c.field,
                    "kind": c.kind.value,
                    "old_value": _seal(cipher, c.id, "old_value", c.old_value),
                    "new_value": _seal(cipher, c.id, "new_value", c.new_value),
                    "reason": cipher.seal_text(TABLE, "reason", c.id, c.reason),
                    "changed_at": c.changed_at,
                    "changed_by": c.changed_by,
                }
            )
        insert_rows(self._conn, customer_change, rows)

    def for_customer(self, customer_id: str) -> list[Change]:
        rows = self._conn.execute(
            select(customer_change)
            .where(customer_change.c.customer_id == customer_id)
            .order_by(customer_change.c.changed_at, customer_change.c.id)
        ).all()
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [
            Change(
                id=r.id,
                customer_id=customer_id,
                field=r.field,
                kind=ChangeKind(r.kind),
                old_value=_open(cipher, r.id, "old_value", r.old_value),
                new_value=_open(cipher, r.id, "new_value", r.new_value),
                reason=cipher.open_text(TABLE, "reason", r.id, r.reason),
                changed_at=r.changed_at,
                changed_by=r.changed_by,
            )
            for r in rows
        ]

    def page(
        self,
        customer_id: str,
        *,
        fields: Iterable[str],
        before: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Change]:
        """The timeline's page: changes of these fields, newest first below (changed_at, id)."""
        rows = page_rows(
            self._conn,
            customer_change,
            customer_id,
            at="changed_at",
            before=before,
            limit=limit,
            where=[customer_change.c.field.in_(sorted(fields))],
        )
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [
            Change(
                id=r.id,
                customer_id=customer_id,
                field=r.field,
                kind=ChangeKind(r.kind),
                old_value=_open(cipher, r.id, "old_value", r.old_value),
                new_value=_open(cipher, r.id, "new_value", r.new_value),
                reason=cipher.open_text(TABLE, "reason", r.id, r.reason),
                changed_at=r.changed_at,
                changed_by=r.changed_by,
            )
            for r in rows
        ]

    def move(self, from_id: str, to_id: str) -> int:
        """Reseal each entry under the survivor's key: the AAD names the customer."""
        changes = self.for_customer(from_id)
        target = self._sealer.cipher(to_id)
        for c in changes:
            self._conn.execute(
                update(customer_change)
                .where(customer_change.c.id == c.id)
                .values(
                    customer_id=to_id,
                    old_value=_seal(target, c.id, "old_value", c.old_value),
                    new_value=_seal(target, c.id, "new_value", c.new_value),
                    reason=target.seal_text(TABLE, "reason", c.id, c.reason),
                )
            )
        return len(changes)

    def erase(self, customer_id: str, ids: Iterable[str] | None = None) -> int:
        query = delete(customer_change).where(customer_change.c.customer_id == customer_id)
        if ids is not None:
            chosen = list(ids)
            if not chosen:
                return 0
            query = query.where(customer_change.c.id.in_(chosen))
        return int(self._conn.execute(query).rowcount)
