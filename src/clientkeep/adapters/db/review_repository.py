"""Suspected duplicates awaiting review, and idempotency keys for creating requests."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy import Connection, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from clientkeep.adapters.db.customer_tables import blind_index, duplicate_suspect, idempotency_key
from clientkeep.customers.ports import DuplicateSuspect

# Parameters per IN list: far below SQLite's and PostgreSQL's limits.
_IN_CHUNK = 5_000


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

    def count_open(self) -> int:
        query = select(func.count()).where(duplicate_suspect.c.resolved_at.is_(None))
        return int(self._conn.execute(query).scalar_one())

    def suspected_among(self, customer_ids: Collection[str]) -> set[str]:
        ids = sorted(set(customer_ids))
        if not ids:
            return set()
        found: set[str] = set()
        for side in (duplicate_suspect.c.customer_id, duplicate_suspect.c.other_id):
            rows = self._conn.execute(
                select(side).where(duplicate_suspect.c.resolved_at.is_(None), side.in_(ids))
            )
            found.update(customer_id for (customer_id,) in rows)
        return found

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

    def shared_token_groups(
        self, kind: str, *, after: str | None = None, limit: int = 1000, max_size: int = 50
    ) -> list[tuple[str, int, tuple[str, ...]]]:
        # Counting walks the (kind, token) index alone; only shared tokens are then looked up.
        counted = (
            select(blind_index.c.token, func.count().label("n"))
            .where(blind_index.c.kind == kind)
            .group_by(blind_index.c.token)
            .having(func.count() > 1)
            .order_by(blind_index.c.token)
            .limit(limit)
        )
        if after is not None:
            counted = counted.where(blind_index.c.token > bytes.fromhex(after))
        counts = [(bytes(r.token), int(r.n)) for r in self._conn.execute(counted)]
        small = [token for token, n in counts if n <= max_size]
        members: dict[bytes, set[str]] = {token: set() for token in small}
        # No join to skip merged customers: a merge deletes the duplicate's index rows, and a
        # join would cost a lookup per row (most of the time on PostgreSQL at a million).
        for start in range(0, len(small), _IN_CHUNK):
            rows = self._conn.execute(
                select(blind_index.c.token, blind_index.c.customer_id).where(
                    blind_index.c.kind == kind,
                    blind_index.c.token.in_(small[start : start + _IN_CHUNK]),
                )
            )
            for token, customer_id in rows:
                members[bytes(token)].add(customer_id)
        groups: list[tuple[str, int, tuple[str, ...]]] = []
        for token, n in counts:
            if n > max_size:
                groups.append((token.hex(), n, ()))
            elif len(members[token]) > 1:
                # A customer may hold one token under two fields (two phone fields, say).
                ids = tuple(sorted(members[token]))
                groups.append((token.hex(), len(ids), ids))
            else:
                groups.append((token.hex(), len(members[token]), ()))
        return groups

    def known_pairs(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        wanted = set(pairs)
        known: set[tuple[str, str]] = set()
        ordered = sorted(wanted)
        for start in range(0, len(ordered), _IN_CHUNK // 2):
            chunk = ordered[start : start + _IN_CHUNK // 2]
            ids = sorted({i for pair in chunk for i in pair})
            rows = self._conn.execute(
                select(duplicate_suspect.c.customer_id, duplicate_suspect.c.other_id).where(
                    duplicate_suspect.c.customer_id.in_(ids),
                    duplicate_suspect.c.other_id.in_(ids),
                )
            )
            for a, b in rows:
                known.update(p for p in ((a, b), (b, a)) if p in wanted)
        return known


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
    ) -> bool:
        # ON CONFLICT DO NOTHING: a concurrent request with the same key makes this insert
        # wait for it, then insert nothing; a plain insert would fail the request with a 500.
        insert = pg_insert if self._conn.dialect.name == "postgresql" else sqlite_insert
        done = self._conn.execute(
            insert(idempotency_key)
            .values(
                actor_id=actor_id,
                key_digest=self._digest("key\x00" + key),
                fingerprint=fingerprint,
                customer_id=customer_id,
                created_at=at,
            )
            .on_conflict_do_nothing(index_elements=["actor_id", "key_digest"])
            # RETURNING, not rowcount: psycopg reports no row count for this statement.
            .returning(idempotency_key.c.key_digest)
        )
        return done.first() is not None
