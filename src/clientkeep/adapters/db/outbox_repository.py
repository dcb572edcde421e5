"""Outbox rows <-> messages: recipient, subject and body sealed under the customer's key,
bound to their row and column, and resealed under the survivor's key on a merge."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, and_, delete, func, or_, select, update

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.db._sealing import Sealer
from clientkeep.adapters.db.customer_tables import customer
from clientkeep.adapters.db.outbox_tables import outbox_message
from clientkeep.outbox.model import Channel, Content, Envelope, Message, Outgoing, Status

TABLE = "outbox_message"
SEALED = ("recipient", "subject", "body")
_m = outbox_message.c
_ENVELOPE = [c for c in outbox_message.c if c.name not in SEALED]


def _envelope(row: Row[Any]) -> Envelope:
    fields = json.loads(row.fields)
    return Envelope(
        id=row.id,
        customer_id=row.customer_id,
        channel=Channel(row.channel),
        kind=row.kind,
        purpose=row.purpose,
        to_field=fields["to"],
        quotes=frozenset(fields["quotes"]),
        status=Status(row.status),
        attempts=row.attempts,
        created_at=row.created_at,
        updated_at=row.updated_at,
        next_attempt_at=row.next_attempt_at,
        lease_until=row.lease_until,
        sent_at=row.sent_at,
        provider_id=row.provider_id,
        last_error=row.last_error,
    )


def _sealed(cipher: CustomerCipher, message_id: str, content: Content) -> dict[str, bytes]:
    parts = {"recipient": content.to, "subject": content.subject, "body": content.body}
    return {col: cipher.seal_text(TABLE, col, message_id, text) for col, text in parts.items()}


def _opened(cipher: CustomerCipher, row: Row[Any]) -> Content:
    def part(column: str) -> str:
        return cipher.open_text(TABLE, column, row.id, getattr(row, column))

    return Content(to=part("recipient"), subject=part("subject"), body=part("body"))


class SqlOutboxRepository:
    def __init__(self, conn: Connection, sealer: Sealer) -> None:
        self._conn = conn
        self._sealer = sealer

    def customer_is_live(self, customer_id: str) -> bool:
        found = self._conn.execute(
            select(customer.c.id).where(
                customer.c.id == customer_id, customer.c.merged_into.is_(None)
            )
        ).first()
        return found is not None

    def add(self, message_id: str, message: Message, to_field: str, now: datetime) -> None:
        cipher = self._sealer.cipher(message.customer_id)
        content = Content(to=message.to, subject=message.subject, body=message.body)
        self._conn.execute(
            outbox_message.insert().values(
                id=message_id,
                customer_id=message.customer_id,
                channel=message.channel,
                kind=message.kind,
                purpose=message.purpose,
                fields=json.dumps({"to": to_field, "quotes": sorted(message.quotes)}),
                status=Status.WAITING.value,
                attempts=0,
                created_at=now,
                updated_at=now,
                next_attempt_at=now,
                **_sealed(cipher, message_id, content),
            )
        )

    def claim_next(
        self, channels: Iterable[Channel], now: datetime, lease_until: datetime, worker: str
    ) -> tuple[Envelope, Outgoing] | None:
        query = (
            select(outbox_message)
            .where(
                _m.status == Status.WAITING.value,
                _m.next_attempt_at <= now,
                _m.channel.in_([c.value for c in channels]),
            )
            .order_by(_m.next_attempt_at, _m.id)
            .limit(1)
        )
        if self._conn.dialect.name == "postgresql":
            # A second worker passes over the row this one holds instead of waiting for it.
            query = query.with_for_update(skip_locked=True)
        # SQLite: a writing unit holds the database's single write lock, so no other worker
        # can read the row as waiting until this claim has committed.
        row = self._conn.execute(query).first()
        if row is None:
            return None
        claimed = self._conn.execute(
            update(outbox_message)
            .where(_m.id == row.id, _m.status == Status.WAITING.value)
            .values(
                status=Status.SENDING.value,
                attempts=_m.attempts + 1,
                lease_until=lease_until,
                leased_by=worker,
                updated_at=now,
            )
        )
        if claimed.rowcount != 1:
            return None
        content = _opened(self._sealer.cipher(row.customer_id), row)
        envelope = self.get(row.id)
        assert envelope is not None
        outgoing = Outgoing(
            id=row.id,
            channel=Channel(row.channel),
            to=content.to,
            subject=content.subject,
            body=content.body,
        )
        return envelope, outgoing

    def expired_leases(self, now: datetime, limit: int) -> list[Envelope]:
        rows = self._conn.execute(
            select(*_ENVELOPE)
            .where(_m.status == Status.SENDING.value, _m.lease_until < now)
            .order_by(_m.lease_until, _m.id)
            .limit(limit)
        ).all()
        return [_envelope(r) for r in rows]

    def settle(
        self,
        message_id: str,
        worker: str,
        *,
        status: Status,
        now: datetime,
        next_attempt_at: datetime | None = None,
        provider_id: str | None = None,
        error: str | None = None,
    ) -> Envelope | None:
        values: dict[str, Any] = {
            "status": status.value,
            "updated_at": now,
            "lease_until": None,
            "leased_by": None,
            "next_attempt_at": next_attempt_at,
        }
        if status is Status.SENT:
            values |= {"sent_at": now, "provider_id": provider_id, "last_error": None}
        else:
            values["last_error"] = error
        # Still held by this worker: sending, or dead-lettered as "outcome unknown" when its
        # lease ran out (then the outcome it reports is the one to keep).
        done = self._conn.execute(
            update(outbox_message)
            .where(
                _m.id == message_id,
                _m.leased_by == worker,
                _m.status.in_([Status.SENDING.value, Status.DEAD.value]),
            )
            .values(values)
        )
        return self.get(message_id) if done.rowcount == 1 else None

    def give_up_unknown(self, message_id: str, now: datetime, error: str) -> bool:
        done = self._conn.execute(
            update(outbox_message)
            .where(_m.id == message_id, _m.status == Status.SENDING.value)
            .values(
                status=Status.DEAD.value,
                updated_at=now,
                lease_until=None,
                next_attempt_at=None,
                last_error=error,
            )
        )
        return done.rowcount == 1

    def retry(self, message_id: str, now: datetime) -> Envelope | None:
        done = self._conn.execute(
            update(outbox_message)
            .where(_m.id == message_id, _m.status == Status.DEAD.value)
            .values(
                status=Status.WAITING.value,
                attempts=0,
                next_attempt_at=now,
                lease_until=None,
                # A late report from the worker that lost it must not settle it now.
                leased_by=None,
                updated_at=now,
            )
        )
        return self.get(message_id) if done.rowcount == 1 else None

    def get(self, message_id: str) -> Envelope | None:
        row = self._conn.execute(select(*_ENVELOPE).where(_m.id == message_id)).first()
        return None if row is None else _envelope(row)

    def open(self, message_id: str) -> tuple[Envelope, Content] | None:
        row = self._conn.execute(select(outbox_message).where(_m.id == message_id)).first()
        if row is None:
            return None
        return _envelope(row), _opened(self._sealer.cipher(row.customer_id), row)

    def page(
        self, *, status: Status | None, before: tuple[datetime, str] | None, limit: int
    ) -> list[Envelope]:
        query = select(*_ENVELOPE)
        if status is not None:
            query = query.where(_m.status == status.value)
        if before is not None:
            at, message_id = before
            query = query.where(
                or_(_m.created_at < at, and_(_m.created_at == at, _m.id < message_id))
            )
        rows = self._conn.execute(
            query.order_by(_m.created_at.desc(), _m.id.desc()).limit(limit)
        ).all()
        return [_envelope(r) for r in rows]

    def counts(self) -> dict[str, int]:
        rows = self._conn.execute(select(_m.status, func.count()).group_by(_m.status)).all()
        found = {str(s): int(n) for s, n in rows}
        return {s.value: found.get(s.value, 0) for s in Status}

    def for_customer(self, customer_id: str) -> list[Envelope]:
        rows = self._conn.execute(
            select(*_ENVELOPE).where(_m.customer_id == customer_id).order_by(_m.created_at, _m.id)
        ).all()
        return [_envelope(r) for r in rows]

    def opened_for_customer(self, customer_id: str) -> list[tuple[Envelope, Content]]:
        rows = self._conn.execute(
            select(outbox_message)
            .where(_m.customer_id == customer_id)
            .order_by(_m.created_at, _m.id)
        ).all()
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [(_envelope(r), _opened(cipher, r)) for r in rows]

    def move(self, from_id: str, to_id: str, now: datetime) -> int:
        """Reseal each message under the survivor's key: the associated data names the
        customer, so a value left under the duplicate's would not open as the survivor's."""
        moving = self.opened_for_customer(from_id)
        target = self._sealer.cipher(to_id)
        for envelope, content in moving:
            self._conn.execute(
                update(outbox_message)
                .where(_m.id == envelope.id)
                .values(customer_id=to_id, updated_at=now, **_sealed(target, envelope.id, content))
            )
        return len(moving)

    def erase(self, customer_id: str, ids: Iterable[str] | None = None) -> int:
        query = delete(outbox_message).where(_m.customer_id == customer_id)
        if ids is not None:
            chosen = list(ids)
            if not chosen:
                return 0
            query = query.where(_m.id.in_(chosen))
        return int(self._conn.execute(query).rowcount)
