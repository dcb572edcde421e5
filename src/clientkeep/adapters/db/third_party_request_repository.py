"""Third parties' requests in the main database: the words of each request and the reason
for its decision sealed under the customer's key; basis, fields, status and times plain, so
the queue is listed without opening a row."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, or_, select, update

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.db._customer_rows import delete_rows, rehome_rows, rows_of
from clientkeep.adapters.db._sealing import Sealer
from clientkeep.adapters.db.representative_tables import third_party_request as t
from clientkeep.verification.third_party_model import (
    RequestDetails,
    RequestStatus,
    ThirdPartyRequest,
)

TABLE = "third_party_request"


def _details_text(details: RequestDetails) -> str:
    return json.dumps(
        {
            "requester": details.requester,
            "organisation": details.organisation,
            "identity_check": details.identity_check,
            "reference": details.reference,
            "reason": details.reason,
        },
        ensure_ascii=False,
    )


def _details_of(text: str) -> RequestDetails:
    held = json.loads(text)
    return RequestDetails(
        requester=held["requester"],
        organisation=held["organisation"],
        identity_check=held["identity_check"],
        reference=held["reference"],
        reason=held["reason"],
    )


def _fields(text: str | None) -> tuple[str, ...] | None:
    return None if text is None else tuple(json.loads(text))


class SqlThirdPartyRequestRepository:
    def __init__(self, conn: Connection, sealer: Sealer) -> None:
        self._conn = conn
        self._sealer = sealer

    def add(self, request: ThirdPartyRequest) -> None:
        cipher = self._sealer.cipher(request.customer_id)
        self._conn.execute(
            t.insert().values(
                id=request.id,
                customer_id=request.customer_id,
                purpose=request.purpose,
                basis=request.basis,
                fields=json.dumps(list(request.fields)),
                approved_fields=None,
                status=request.status.value,
                created_by=request.created_by,
                created_at=request.created_at,
                details=cipher.seal_text(
                    TABLE, "details", request.id, _details_text(request.details)
                ),
                decision=None,
            )
        )

    def _of(self, row: Any, cipher: CustomerCipher) -> ThirdPartyRequest:
        decision = (
            None
            if row.decision is None
            else cipher.open_text(TABLE, "decision", row.id, row.decision)
        )
        return ThirdPartyRequest(
            id=row.id,
            customer_id=row.customer_id,
            purpose=row.purpose,
            basis=row.basis,
            fields=tuple(json.loads(row.fields)),
            status=RequestStatus(row.status),
            created_by=row.created_by,
            created_at=row.created_at,
            details=_details_of(cipher.open_text(TABLE, "details", row.id, row.details)),
            approved_fields=_fields(row.approved_fields),
            decided_by=row.decided_by,
            decided_at=row.decided_at,
            decision=decision,
            disclosure_id=row.disclosure_id,
        )

    def get(self, request_id: str) -> ThirdPartyRequest | None:
        row = self._conn.execute(select(t).where(t.c.id == request_id)).first()
        if row is None:
            return None
        return self._of(row, self._sealer.cipher(row.customer_id))

    def decide(self, request: ThirdPartyRequest) -> bool:
        cipher = self._sealer.cipher(request.customer_id)
        sealed = (
            None
            if request.decision is None
            else cipher.seal_text(TABLE, "decision", request.id, request.decision)
        )
        done = self._conn.execute(
            update(t)
            .where(t.c.id == request.id, t.c.status == RequestStatus.PENDING.value)
            .values(
                status=request.status.value,
                approved_fields=None
                if request.approved_fields is None
                else json.dumps(list(request.approved_fields)),
                decided_by=request.decided_by,
                decided_at=request.decided_at,
                decision=sealed,
            )
        )
        return bool(done.rowcount)

    def mark_disclosed(self, request_id: str, disclosure_id: str) -> bool:
        done = self._conn.execute(
            update(t)
            .where(
                t.c.id == request_id,
                t.c.status == RequestStatus.APPROVED.value,
                t.c.disclosure_id.is_(None),
            )
            .values(status=RequestStatus.DISCLOSED.value, disclosure_id=disclosure_id)
        )
        return bool(done.rowcount)

    def by_status(
        self, status: str, *, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[ThirdPartyRequest]:
        query = select(t).where(t.c.status == status)
        if after is not None:
            at, request_id = after
            query = query.where(
                or_(t.c.created_at > at, and_(t.c.created_at == at, t.c.id > request_id))
            )
        rows = self._conn.execute(query.order_by(t.c.created_at, t.c.id).limit(limit)).all()
        ciphers = self._sealer.ciphers({r.customer_id for r in rows})
        return [self._of(r, ciphers[r.customer_id]) for r in rows]

    def for_customer(self, customer_id: str) -> list[ThirdPartyRequest]:
        rows = rows_of(self._conn, t, customer_id, at="created_at")
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [self._of(r, cipher) for r in rows]

    def rehome(self, request_ids: Sequence[str], customer_id: str) -> None:
        rehome_rows(self._conn, self._sealer, t, ("details", "decision"), request_ids, customer_id)

    def delete(self, request_ids: Sequence[str]) -> int:
        return delete_rows(self._conn, t, request_ids)
