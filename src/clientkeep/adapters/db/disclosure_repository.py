"""Disclosures in the main database, the recipient sealed per customer."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.db._customer_rows import delete_rows, rehome_rows, rows_of
from clientkeep.adapters.db._sealing import Sealer
from clientkeep.adapters.db._timeline_pages import page_rows
from clientkeep.adapters.db.disclosure_tables import disclosure as t
from clientkeep.verification.disclosure_model import Channel, Disclosure

TABLE = "disclosure"


def _seal(cipher: CustomerCipher, row_id: str, recipient: str) -> bytes:
    return cipher.seal_text(TABLE, "recipient", row_id, recipient)


class SqlDisclosureRepository:
    def __init__(self, conn: Connection, sealer: Sealer) -> None:
        self._conn = conn
        self._sealer = sealer

    def add(self, disclosure: Disclosure) -> None:
        cipher = self._sealer.cipher(disclosure.customer_id)
        self._conn.execute(
            t.insert().values(
                id=disclosure.id,
                customer_id=disclosure.customer_id,
                staff_id=disclosure.staff_id,
                at=disclosure.at,
                purpose=disclosure.purpose,
                channel=disclosure.channel.value,
                fields=json.dumps(list(disclosure.fields)),
                verification_id=disclosure.verification_id,
                request_id=disclosure.request_id,
                recipient=_seal(cipher, disclosure.id, disclosure.recipient),
            )
        )

    def _of(self, row: Any, cipher: CustomerCipher) -> Disclosure:
        return Disclosure(
            id=row.id,
            customer_id=row.customer_id,
            staff_id=row.staff_id,
            at=row.at,
            purpose=row.purpose,
            channel=Channel(row.channel),
            fields=tuple(json.loads(row.fields)),
            verification_id=row.verification_id,
            recipient=cipher.open_text(TABLE, "recipient", row.id, row.recipient),
            request_id=row.request_id,
        )

    def get(self, disclosure_id: str) -> Disclosure | None:
        row = self._conn.execute(select(t).where(t.c.id == disclosure_id)).first()
        if row is None:
            return None
        return self._of(row, self._sealer.cipher(row.customer_id))

    def for_customer(self, customer_id: str) -> list[Disclosure]:
        rows = rows_of(self._conn, t, customer_id)
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [self._of(r, cipher) for r in rows]

    def page(
        self, customer_id: str, *, before: tuple[datetime, str] | None, limit: int
    ) -> list[Disclosure]:
        """The timeline's page: newest first below (at, id)."""
        rows = page_rows(self._conn, t, customer_id, at="at", before=before, limit=limit)
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [self._of(r, cipher) for r in rows]

    def rehome(self, disclosure_ids: Sequence[str], customer_id: str) -> None:
        rehome_rows(self._conn, self._sealer, t, "recipient", disclosure_ids, customer_id)

    def delete(self, disclosure_ids: Sequence[str]) -> int:
        return delete_rows(self._conn, t, disclosure_ids)
