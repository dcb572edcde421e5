"""The audit log in SQL: appends serialised per chain by locking the chain's head row."""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from clientkeep.adapters.db.tables import audit_chain, audit_event
from clientkeep.audit.model import (
    GENESIS_HASH,
    MAIN_CHAIN,
    AuditEntry,
    AuditEvent,
    Outcome,
    seal_event,
)
from clientkeep.audit.ports import ChainHead
from clientkeep.shared.clock import Clock
from clientkeep.shared.ids import new_id


def _event(row: Any) -> AuditEvent:
    m = row._mapping
    entry = AuditEntry(
        action=m["action"],
        actor_id=m["actor_id"],
        actor_role=m["actor_role"],
        credential=m["credential"],
        outcome=Outcome(m["outcome"]),
        customer_id=m["customer_id"],
        fields=tuple(json.loads(m["fields"])),
        purpose=m["purpose"],
        request_id=m["request_id"],
        detail=json.loads(m["detail"]),
    )
    return AuditEvent(
        chain=m["chain"],
        seq=m["seq"],
        id=m["id"],
        occurred_at=m["occurred_at"],
        entry=entry,
        prev_hash=m["prev_hash"],
        hash=m["hash"],
    )


class SqlAuditLog:
    def __init__(self, conn: Connection, clock: Clock, head_key: bytes) -> None:
        self._conn = conn
        self._clock = clock
        self._head_key = head_key

    def _seal(self, chain: str, seq: int, head_hash: str) -> str:
        # Keyed, so rewriting every event and the head still fails without the key store.
        message = f"{chain}\x00{seq}\x00{head_hash}".encode()
        return hmac.new(self._head_key, message, hashlib.sha256).hexdigest()

    def _lock_head(self, chain: str) -> tuple[int, str]:
        query = select(audit_chain.c.head_seq, audit_chain.c.head_hash).where(
            audit_chain.c.name == chain
        )
        if self._conn.dialect.name == "postgresql":
            query = query.with_for_update()
        row = self._conn.execute(query).first()
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
        row = self._conn.execute(query).one()
        return int(row.head_seq), str(row.head_hash)

    def append(self, entry: AuditEntry, *, chain: str = MAIN_CHAIN) -> AuditEvent:
        head_seq, head_hash = self._lock_head(chain)
        occurred_at = self._clock.now()
        event = seal_event(
            chain=chain,
            seq=head_seq + 1,
            event_id=new_id("aud"),
            occurred_at=occurred_at,
            entry=entry,
            prev_hash=head_hash,
        )
        self._conn.execute(
            audit_event.insert(),
            dict(
                chain=chain,
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
            ),
        )
        self._conn.execute(
            update(audit_chain)
            .where(audit_chain.c.name == chain)
            .values(
                head_seq=event.seq,
                head_hash=event.hash,
                head_seal=self._seal(chain, event.seq, event.hash),
            )
        )
        return event

    def head(self, *, chain: str = MAIN_CHAIN) -> ChainHead | None:
        query = select(audit_chain).where(audit_chain.c.name == chain)
        row = self._conn.execute(query).first()
        if row is None:
            return None
        seq, head_hash = int(row.head_seq), str(row.head_hash)
        authentic = hmac.compare_digest(self._seal(chain, seq, head_hash), row.head_seal)
        return ChainHead(seq=seq, hash=head_hash, authentic=authentic)

    def iterate(self, *, chain: str = MAIN_CHAIN, batch_size: int = 5000) -> Iterator[AuditEvent]:
        # Physical order by primary key; verification then checks the sequence is unbroken.
        last = 0
        while True:
            query = (
                select(audit_event)
                .where(audit_event.c.chain == chain, audit_event.c.seq > last)
                .order_by(audit_event.c.seq)
                .limit(batch_size)
            )
            rows = self._conn.execute(query).all()
            if not rows:
                return
            for row in rows:
                yield _event(row)
            last = rows[-1].seq

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
