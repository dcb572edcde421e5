"""Suspected duplicates awaiting review, and idempotency keys for creating requests."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime

from sqlalchemy import Connection, or_, select, update

from clientkeep.adapters.db.customer_tables import duplicate_suspect, idempotency_key
from clientkeep.customers.ports import DuplicateSuspect


class SqlDuplicateRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, suspect: DuplicateSuspect) -> None:
        self._conn.execute(
            duplicate_suspect.insert().values(
                id=suspect.id,
                customer_id=suspect.customer_id,
                other_id=suspect.other_id,
                reasons=json.dumps(list(suspect.reasons)),
                detected_at=suspect.detected_at,
            )
        )

    def open(self, *, limit: int) -> list[DuplicateSuspect]:
        rows = self._conn.execute(
            select(duplicate_suspect)
            .where(duplicate_suspect.c.resolved_at.is_(None))
            .order_by(duplicate_suspect.c.detected_at, duplicate_suspect.c.id)
            .limit(limit)
        )
        return [
            DuplicateSuspect(
                id=r.id,
                customer_id=r.customer_id,
                other_id=r.other_id,
                reasons=tuple(json.loads(r.reasons)),
                detected_at=r.detected_at,
            )
            for r in rows
        ]

    def resolve_for(self, customer_id: str, at: datetime, resolution: str) -> None:
        self._conn.execute(
            update(duplicate_suspect)
            .where(
                duplicate_suspect.c.resolved_at.is_(None),
                or_(
                    duplicate_suspect.c.customer_id == customer_id,
                    duplicate_suspect.c.other_id == customer_id,
                ),
            )
            .values(resolved_at=at, resolution=resolution)
        )

    def resolve(self, suspect_id: str, at: datetime, resolution: str) -> bool:
        result = self._conn.execute(
            update(duplicate_suspect)
            .where(duplicate_suspect.c.id == suspect_id, duplicate_suspect.c.resolved_at.is_(None))
            .values(resolved_at=at, resolution=resolution)
        )
        return bool(result.rowcount)


class SqlIdempotencyRepository:
    def __init__(self, conn: Connection, key: bytes) -> None:
        self._conn = conn
        self._key = key

    def _digest(self, text: str) -> str:
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()

    def fingerprint(self, canonical_request: str) -> str:
        return self._digest("request\x00" + canonical_request)

    def recall(self, actor_id: str, key: str) -> tuple[str, str] | None:
        row = self._conn.execute(
            select(idempotency_key).where(
                idempotency_key.c.actor_id == actor_id,
                idempotency_key.c.key_digest == self._digest("key\x00" + key),
            )
        ).first()
        return (row.fingerprint, row.customer_id) if row else None

    def remember(
        self, actor_id: str, key: str, fingerprint: str, customer_id: str, at: datetime
    ) -> None:
        self._conn.execute(
            idempotency_key.insert().values(
                actor_id=actor_id,
                key_digest=self._digest("key\x00" + key),
                fingerprint=fingerprint,
                customer_id=customer_id,
                created_at=at,
            )
        )
