"""The audit log in SQL: appends serialised per chain by locking the chain's head row."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from clientkeep.adapters.crypto.checkpoints import CheckpointStore
from clientkeep.adapters.db._bulk import insert_rows
from clientkeep.adapters.db.tables import audit_chain, audit_event
from clientkeep.audit.model import (
    GENESIS_HASH,
    MAIN_CHAIN,
    AuditEntry,
    AuditEvent,
    Link,
    event_from_body,
    seal_event,
)
from clientkeep.audit.ports import ChainHead
from clientkeep.shared.clock import Clock
from clientkeep.shared.ids import new_id


def _event(row: Any) -> AuditEvent:
    # Shown from the hashed bytes, so what staff read is exactly what the chain protects.
    return event_from_body(bytes(row.body), prev_hash=row.prev_hash, hash=row.hash)


# Do the copies kept for searching agree with the hashed body? One JSON parse per row, in the
# database. (Times, fields and detail are shown from the body, so their copies are not trusted.)
_SQLITE_MISMATCH = """
SELECT min(seq) FROM audit_event
WHERE chain = ? AND json_extract(CAST(body AS TEXT), '$.id', '$.seq', '$.action', '$.actor',
          '$.role', '$.credential', '$.outcome', '$.customer', '$.purpose', '$.request')
      IS NOT json_array(id, seq, action, actor_id, actor_role, credential, outcome, customer_id,
                        purpose, request_id)
"""
_POSTGRES_MISMATCH = """
SELECT min(seq) FROM audit_event,
     LATERAL (SELECT convert_from(body, 'UTF8')::jsonb AS j) AS parsed
WHERE chain = %s AND (
      j->>'id' IS DISTINCT FROM id OR (j->>'seq')::bigint IS DISTINCT FROM seq
   OR j->>'action' IS DISTINCT FROM action OR j->>'actor' IS DISTINCT FROM actor_id
   OR j->>'role' IS DISTINCT FROM actor_role OR j->>'credential' IS DISTINCT FROM credential
   OR j->>'outcome' IS DISTINCT FROM outcome OR j->>'customer' IS DISTINCT FROM customer_id
   OR j->>'purpose' IS DISTINCT FROM purpose OR j->>'request' IS DISTINCT FROM request_id)
"""


# Built once: every read and change appends, so statement building is on the hot path.
_HEAD = select(audit_chain.c.head_seq, audit_chain.c.head_hash).where(
    audit_chain.c.name == bindparam("chain")
)
_HEAD_FOR_UPDATE = _HEAD.with_for_update()
_MOVE_HEAD = (
    update(audit_chain)
    .where(audit_chain.c.name == bindparam("chain"))
    .values(
        head_seq=bindparam("head_seq"),
        head_hash=bindparam("head_hash"),
        head_seal=bindparam("head_seal"),
    )
)

# The prev_hash column must hold the hash of the event before it (genesis for the first).
_SQLITE_BROKEN_LINK = """
SELECT min(a.seq) FROM audit_event AS a
LEFT JOIN audit_event AS b ON b.chain = a.chain AND b.seq = a.seq - 1
WHERE a.chain = ? AND a.prev_hash IS NOT coalesce(b.hash, ?)
"""
_POSTGRES_BROKEN_LINK = """
SELECT min(a.seq) FROM audit_event AS a
LEFT JOIN audit_event AS b ON b.chain = a.chain AND b.seq = a.seq - 1
WHERE a.chain = %s AND a.prev_hash IS DISTINCT FROM coalesce(b.hash, %s)
"""


class SqlAuditLog:
    def __init__(
        self,
        conn: Connection,
        clock: Clock,
        head_key: bytes,
        *,
        after_commit: Callable[[Callable[[], None]], None] | None = None,
        checkpoints: CheckpointStore | None = None,
    ) -> None:
        self._conn = conn
        self._clock = clock
        self._head_key = head_key
        # Checkpoints of the head go to the key store only once the events are committed.
        self._after_commit = after_commit
        self._checkpoints = checkpoints

    def _seal(self, chain: str, seq: int, head_hash: str) -> str:
        # Keyed, so rewriting every event and the head still fails without the key store.
        message = f"{chain}\x00{seq}\x00{head_hash}".encode()
        return hmac.new(self._head_key, message, hashlib.sha256).hexdigest()

    def _lock_head(self, chain: str) -> tuple[int, str]:
        query = _HEAD_FOR_UPDATE if self._conn.dialect.name == "postgresql" else _HEAD
        row = self._conn.execute(query, {"chain": chain}).first()
        if row is not None:
            return int(row.head_seq), str(row.head_hash)
        # First event of a chain: create its head; a concurrent creator makes this a no-op.
        insert = pg_insert if self._conn.dialect.name == "postgresql" else sqlite_insert
        self._conn.execute(
            insert(audit_chain)
            .values(
                name=chain,
                head_seq=0,
                head_hash=GENESIS_HASH,
                head_seal=self._seal(chain, 0, GENESIS_HASH),
            )
            .on_conflict_do_nothing(index_elements=["name"])
        )
        row = self._conn.execute(query, {"chain": chain}).one()
        return int(row.head_seq), str(row.head_hash)

    def append(self, entry: AuditEntry, *, chain: str = MAIN_CHAIN) -> AuditEvent:
        head_seq, head_hash = self._lock_head(chain)
        event = self._seal_next(entry, chain, head_seq, head_hash)
        insert_rows(self._conn, audit_event, [self._row(event)])
        self._move_head(event)
        return event

    def append_many(self, entries: Sequence[AuditEntry], *, chain: str = MAIN_CHAIN) -> None:
        if not entries:
            return
        head_seq, head_hash = self._lock_head(chain)
        rows = []
        for entry in entries:
            event = self._seal_next(entry, chain, head_seq, head_hash)
            rows.append(self._row(event))
            head_seq, head_hash = event.seq, event.hash
        insert_rows(self._conn, audit_event, rows)
        self._move_head(event)

    def _seal_next(
        self, entry: AuditEntry, chain: str, head_seq: int, head_hash: str
    ) -> AuditEvent:
        return seal_event(
            chain=chain,
            seq=head_seq + 1,
            event_id=new_id("aud"),
            occurred_at=self._clock.now(),
            entry=entry,
            prev_hash=head_hash,
        )

    @staticmethod
    def _row(event: AuditEvent) -> dict[str, Any]:
        entry = event.entry
        return dict(
            chain=event.chain,
            seq=event.seq,
            id=event.id,
            occurred_at=event.occurred_at,
            actor_id=entry.actor_id,
            actor_role=entry.actor_role,
            credential=entry.credential,
            action=entry.action,
            customer_id=entry.customer_id,
            fields=json.dumps(list(entry.fields)),
            purpose=entry.purpose,
            outcome=str(entry.outcome),
            request_id=entry.request_id,
            detail=json.dumps(dict(entry.detail), sort_keys=True),
            prev_hash=event.prev_hash,
            hash=event.hash,
            body=event.body,
        )

    def _move_head(self, event: AuditEvent) -> None:
        self._conn.execute(
            _MOVE_HEAD,
            {
                "chain": event.chain,
                "head_seq": event.seq,
                "head_hash": event.hash,
                "head_seal": self._seal(event.chain, event.seq, event.hash),
            },
        )

    def head(self, *, chain: str = MAIN_CHAIN) -> ChainHead | None:
        query = select(audit_chain).where(audit_chain.c.name == chain)
        row = self._conn.execute(query).first()
        if row is None:
            return None
        seq, head_hash = int(row.head_seq), str(row.head_hash)
        authentic = hmac.compare_digest(self._seal(chain, seq, head_hash), row.head_seal)
        return ChainHead(seq=seq, hash=head_hash, authentic=authentic)

    def links(self, *, chain: str = MAIN_CHAIN, batch_size: int = 20_000) -> Iterator[Link]:
        # The driver's own cursor, inside this unit's transaction: verification is hashing
        # millions of rows, and row objects would cost more than the hashing. One statement
        # is one snapshot on PostgreSQL too (a named, server-side cursor streams it).
        raw: Any = self._conn.connection.driver_connection
        if self._conn.dialect.name == "postgresql":
            cursor = raw.cursor(name="audit_links")
            sql = "SELECT seq, body, hash FROM audit_event WHERE chain = %s ORDER BY seq"
        else:
            cursor = raw.cursor()
            sql = "SELECT seq, body, hash FROM audit_event WHERE chain = ? ORDER BY seq"
        try:
            cursor.execute(sql, (chain,))
            while rows := cursor.fetchmany(batch_size):
                yield from rows
        finally:
            cursor.close()

    def first_mismatched_copy(self, *, chain: str = MAIN_CHAIN) -> int | None:
        postgres = self._conn.dialect.name == "postgresql"
        found = [
            self._conn.exec_driver_sql(
                sql, (chain, GENESIS_HASH) if "genesis" in name else (chain,)
            ).scalar()
            for name, sql in (
                ("copies", _POSTGRES_MISMATCH if postgres else _SQLITE_MISMATCH),
                ("links genesis", _POSTGRES_BROKEN_LINK if postgres else _SQLITE_BROKEN_LINK),
            )
        ]
        bad = [int(seq) for seq in found if seq is not None]
        return min(bad) if bad else None

    def page(
        self,
        *,
        chain: str = MAIN_CHAIN,
        after_seq: int = 0,
        limit: int = 50,
        customer_id: str | None = None,
        action: str | None = None,
    ) -> list[AuditEvent]:
        query = select(audit_event).where(
            audit_event.c.chain == chain, audit_event.c.seq > after_seq
        )
        if customer_id is not None:
            query = query.where(audit_event.c.customer_id == customer_id)
        if action is not None:
            query = query.where(audit_event.c.action == action)
        rows = self._conn.execute(query.order_by(audit_event.c.seq).limit(limit))
        return [_event(row) for row in rows]
