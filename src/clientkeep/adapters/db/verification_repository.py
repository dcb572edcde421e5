"""Verification attempts in the main database, the details asked for sealed per customer, and
the one-time codes sent to customers (a keyed digest each, nothing to seal)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.db._customer_rows import delete_rows, rehome_rows, rows_of
from clientkeep.adapters.db._sealing import Sealer
from clientkeep.adapters.db._timeline_pages import page_rows
from clientkeep.adapters.db.verification_tables import verification_attempt as t
from clientkeep.adapters.db.verification_tables import verification_code as codes
from clientkeep.verification.model import IssuedCode, Method, Verification
from clientkeep.verification.ports import FailedAttempt

TABLE = "verification_attempt"


def _seal(cipher: CustomerCipher, row_id: str, stated: Sequence[str]) -> bytes:
    return cipher.seal_text(TABLE, "stated", row_id, json.dumps(list(stated)))


class SqlVerificationRepository:
    def __init__(self, conn: Connection, sealer: Sealer) -> None:
        self._conn = conn
        self._sealer = sealer

    def add(self, verification: Verification) -> None:
        cipher = self._sealer.cipher(verification.customer_id)
        self._conn.execute(
            t.insert().values(
                id=verification.id,
                customer_id=verification.customer_id,
                staff_id=verification.staff_id,
                method=verification.method.value,
                passed=verification.passed,
                at=verification.at,
                expires_at=verification.expires_at,
                stated=_seal(cipher, verification.id, verification.stated),
                representative_id=verification.representative_id,
            )
        )

    def _of(self, row: Any, cipher: CustomerCipher) -> Verification:
        return Verification(
            id=row.id,
            customer_id=row.customer_id,
            staff_id=row.staff_id,
            method=Method(row.method),
            passed=bool(row.passed),
            stated=tuple(json.loads(cipher.open_text(TABLE, "stated", row.id, row.stated))),
            at=row.at,
            expires_at=row.expires_at,
            representative_id=row.representative_id,
        )

    def get(self, verification_id: str) -> Verification | None:
        row = self._conn.execute(select(t).where(t.c.id == verification_id)).first()
        if row is None:
            return None
        return self._of(row, self._sealer.cipher(row.customer_id))

    def failures_since(self, customer_id: str, since: datetime) -> Sequence[datetime]:
        return list(
            self._conn.execute(
                select(t.c.at)
                .where(t.c.customer_id == customer_id, t.c.at > since, t.c.passed.is_(False))
                .order_by(t.c.at)
            ).scalars()
        )

    def failed_since(self, since: datetime) -> Sequence[FailedAttempt]:
        query = (
            select(t.c.customer_id, t.c.staff_id, t.c.at)
            .where(t.c.at > since, t.c.passed.is_(False))
            .order_by(t.c.customer_id, t.c.at, t.c.id)
        )
        return [FailedAttempt(r.customer_id, r.staff_id, r.at) for r in self._conn.execute(query)]

    def page(
        self, customer_id: str, *, before: tuple[datetime, str] | None, limit: int
    ) -> list[Verification]:
        """The timeline's page: newest first below (at, id)."""
        rows = page_rows(self._conn, t, customer_id, at="at", before=before, limit=limit)
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [self._of(r, cipher) for r in rows]

    def for_customer(self, customer_id: str) -> list[Verification]:
        rows = rows_of(self._conn, t, customer_id)
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [self._of(r, cipher) for r in rows]

    def rehome(self, verification_ids: Sequence[str], customer_id: str) -> None:
        rehome_rows(self._conn, self._sealer, t, "stated", verification_ids, customer_id)

    def delete(self, verification_ids: Sequence[str]) -> int:
        return delete_rows(self._conn, t, verification_ids)

    def replace_code(self, code: IssuedCode) -> None:
        self._conn.execute(
            delete(codes).where(
                codes.c.customer_id == code.customer_id, codes.c.staff_id == code.staff_id
            )
        )
        self._conn.execute(
            codes.insert().values(
                id=code.id,
                customer_id=code.customer_id,
                staff_id=code.staff_id,
                channel=code.channel,
                digest=code.digest,
                created_at=code.created_at,
                expires_at=code.expires_at,
                used_at=code.used_at,
            )
        )

    def current_code(self, customer_id: str, staff_id: str) -> IssuedCode | None:
        row = self._conn.execute(
            select(codes)
            .where(codes.c.customer_id == customer_id, codes.c.staff_id == staff_id)
            # One row per pair is kept; the order only settles a race between two sends.
            .order_by(codes.c.created_at.desc(), codes.c.id)
            .limit(1)
        ).first()
        if row is None:
            return None
        return IssuedCode(
            id=row.id,
            customer_id=row.customer_id,
            staff_id=row.staff_id,
            channel=row.channel,
            digest=bytes(row.digest),
            created_at=row.created_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    def use_code(self, code_id: str, now: datetime) -> bool:
        done = self._conn.execute(
            update(codes)
            .where(codes.c.id == code_id, codes.c.used_at.is_(None), codes.c.expires_at > now)
            .values(used_at=now)
        )
        return int(done.rowcount or 0) == 1

    def delete_codes(self, customer_id: str) -> int:
        done = self._conn.execute(delete(codes).where(codes.c.customer_id == customer_id))
        return int(done.rowcount or 0)
