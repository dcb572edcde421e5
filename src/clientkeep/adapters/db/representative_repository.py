"""Authorised representatives in the main database: what they are and the representative's
own answers sealed per customer (``details``, ``answers``, ``decision``); the authority, the
scope, the status and the times plain, so an expiry or a queue needs no opening."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select, update

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.db._customer_rows import delete_rows, rehome_rows, rows_of
from clientkeep.adapters.db._sealing import Sealer
from clientkeep.adapters.db.representative_tables import representative as t
from clientkeep.verification.representative_model import Authority, Representative, Status

TABLE = "representative"


def _details(r: Representative) -> str:
    return json.dumps(
        {
            "name": r.name,
            "relationship": r.relationship,
            "reference": r.reference,
            "evidence_seen": r.evidence_seen,
            "purpose": r.purpose,
        },
        sort_keys=True,
    )


def _sealed(cipher: CustomerCipher, r: Representative) -> dict[str, bytes | None]:
    return {
        "details": cipher.seal_text(TABLE, "details", r.id, _details(r)),
        "answers": cipher.seal_text(
            TABLE, "answers", r.id, json.dumps(dict(r.answers), sort_keys=True)
        ),
        "decision": None
        if r.decision_reason is None
        else cipher.seal_text(TABLE, "decision", r.id, r.decision_reason),
    }


class SqlRepresentativeRepository:
    def __init__(self, conn: Connection, sealer: Sealer) -> None:
        self._conn = conn
        self._sealer = sealer

    def add(self, representative: Representative) -> None:
        r = representative
        cipher = self._sealer.cipher(r.customer_id)
        self._conn.execute(
            t.insert().values(
                id=r.id,
                customer_id=r.customer_id,
                authority=r.authority.value,
                scope_fields=json.dumps(list(r.scope_fields)),
                scope_actions=json.dumps(list(r.scope_actions)),
                expires_at=r.expires_at,
                status=r.status.value,
                created_by=r.created_by,
                created_at=r.created_at,
                decided_by=r.decided_by,
                decided_at=r.decided_at,
                **_sealed(cipher, r),
            )
        )

    def decide(self, representative: Representative) -> None:
        r = representative
        cipher = self._sealer.cipher(r.customer_id)
        self._conn.execute(
            update(t)
            .where(t.c.id == r.id)
            .values(
                status=r.status.value,
                decided_by=r.decided_by,
                decided_at=r.decided_at,
                decision=_sealed(cipher, r)["decision"],
            )
        )

    def _of(self, row: Any, cipher: CustomerCipher) -> Representative:
        details = json.loads(cipher.open_text(TABLE, "details", row.id, row.details))
        answers = json.loads(cipher.open_text(TABLE, "answers", row.id, row.answers))
        return Representative(
            id=row.id,
            customer_id=row.customer_id,
            authority=Authority(row.authority),
            scope_fields=tuple(json.loads(row.scope_fields)),
            scope_actions=tuple(json.loads(row.scope_actions)),
            expires_at=row.expires_at,
            status=Status(row.status),
            created_by=row.created_by,
            created_at=row.created_at,
            purpose=details["purpose"],
            name=details["name"],
            relationship=details["relationship"],
            reference=details["reference"],
            evidence_seen=details["evidence_seen"],
            answers=answers,
            decided_by=row.decided_by,
            decided_at=row.decided_at,
            decision_reason=None
            if row.decision is None
            else cipher.open_text(TABLE, "decision", row.id, row.decision),
        )

    def get(self, representative_id: str) -> Representative | None:
        row = self._conn.execute(select(t).where(t.c.id == representative_id)).first()
        if row is None:
            return None
        return self._of(row, self._sealer.cipher(row.customer_id))

    def for_customer(self, customer_id: str) -> list[Representative]:
        rows = rows_of(self._conn, t, customer_id, at="created_at")
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [self._of(r, cipher) for r in rows]

    def rehome(self, representative_ids: Sequence[str], customer_id: str) -> None:
        rehome_rows(
            self._conn,
            self._sealer,
            t,
            ("details", "answers", "decision"),
            representative_ids,
            customer_id,
        )

    def delete(self, representative_ids: Sequence[str]) -> int:
        return delete_rows(self._conn, t, representative_ids)
