"""Interactions in the main database: the notes sealed per customer as one JSON document,
everything a queue or the timeline orders by plain."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, exists, select
from sqlalchemy.orm import aliased

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.db._customer_rows import delete_rows, rehome_rows, rows_of
from clientkeep.adapters.db._sealing import Sealer
from clientkeep.adapters.db._timeline_pages import page_rows
from clientkeep.adapters.db.contact_tables import interaction as t
from clientkeep.interactions.model import Interaction, Notes, OpenFollowUp, PageMarks
from clientkeep.interactions.vocabulary import Category, Channel, Outcome

TABLE = "interaction"


def _notes_json(notes: Notes) -> str:
    doc: dict[str, str] = {"nature": notes.nature, "actions_taken": notes.actions_taken}
    if notes.reason is not None:
        doc["reason"] = notes.reason
    return json.dumps(doc, ensure_ascii=False)


class SqlInteractionRepository:
    def __init__(self, conn: Connection, sealer: Sealer) -> None:
        self._conn = conn
        self._sealer = sealer

    def add(self, interaction: Interaction) -> None:
        cipher = self._sealer.cipher(interaction.customer_id)
        i = interaction
        self._conn.execute(
            t.insert().values(
                id=i.id,
                customer_id=i.customer_id,
                staff_id=i.staff_id,
                occurred_at=i.occurred_at,
                recorded_at=i.recorded_at,
                channel=i.channel.value,
                category=i.category.value,
                outcome=i.outcome.value,
                purpose=i.purpose,
                follow_up_due=i.follow_up_due,
                follow_up_owner=i.follow_up_owner,
                follows_up=i.follows_up,
                corrects=i.corrects,
                warnings=json.dumps(list(i.warnings)),
                notes=cipher.seal_text(TABLE, "notes", i.id, _notes_json(i.notes)),
            )
        )

    def _of(self, row: Any, cipher: CustomerCipher) -> Interaction:
        doc = json.loads(cipher.open_text(TABLE, "notes", row.id, row.notes))
        return Interaction(
            id=row.id,
            customer_id=row.customer_id,
            staff_id=row.staff_id,
            occurred_at=row.occurred_at,
            recorded_at=row.recorded_at,
            channel=Channel(row.channel),
            category=Category(row.category),
            outcome=Outcome(row.outcome),
            purpose=row.purpose,
            notes=Notes(doc["nature"], doc["actions_taken"], doc.get("reason")),
            follow_up_due=row.follow_up_due,
            follow_up_owner=row.follow_up_owner,
            follows_up=row.follows_up,
            corrects=row.corrects,
            warnings=tuple(json.loads(row.warnings)),
        )

    def _all_of(self, rows: Sequence[Any], customer_id: str) -> list[Interaction]:
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [self._of(r, cipher) for r in rows]

    def get(self, interaction_id: str) -> Interaction | None:
        row = self._conn.execute(select(t).where(t.c.id == interaction_id)).first()
        if row is None:
            return None
        return self._of(row, self._sealer.cipher(row.customer_id))

    def page(
        self, customer_id: str, *, before: tuple[datetime, str] | None, limit: int
    ) -> list[Interaction]:
        rows = page_rows(self._conn, t, customer_id, at="occurred_at", before=before, limit=limit)
        return self._all_of(rows, customer_id)

    def marks(self, interaction_ids: Sequence[str]) -> PageMarks:
        if not interaction_ids:
            return PageMarks()
        ids = list(interaction_ids)
        corrected = self._conn.execute(
            select(t.c.corrects, t.c.id).where(t.c.corrects.in_(ids))
        ).all()
        followed = self._conn.execute(
            select(t.c.follows_up, t.c.id).where(t.c.follows_up.in_(ids))
        ).all()
        return PageMarks(
            corrected_by={old: new for old, new in corrected},
            followed_up_by={done: by for done, by in followed},
        )

    def is_corrected(self, interaction_id: str) -> bool:
        found = self._conn.execute(select(t.c.id).where(t.c.corrects == interaction_id)).first()
        return found is not None

    def is_followed_up(self, interaction_id: str) -> bool:
        found = self._conn.execute(select(t.c.id).where(t.c.follows_up == interaction_id)).first()
        return found is not None

    def open_follow_ups(
        self, *, owner_id: str | None, due_before: date | None, limit: int
    ) -> list[OpenFollowUp]:
        later = aliased(t)
        query = select(t).where(
            t.c.outcome == Outcome.FOLLOW_UP.value,
            t.c.follow_up_due.is_not(None),
            ~exists().where(later.c.follows_up == t.c.id),
            ~exists().where(later.c.corrects == t.c.id),
            # A correction of a follow-up that was done is done too.
            ~exists().where(later.c.follows_up == t.c.corrects, t.c.corrects.is_not(None)),
        )
        if owner_id is not None:
            query = query.where(t.c.follow_up_owner == owner_id)
        if due_before is not None:
            query = query.where(t.c.follow_up_due <= due_before)
        rows = self._conn.execute(
            query.order_by(t.c.follow_up_due, t.c.occurred_at, t.c.id).limit(limit)
        ).all()
        return [
            OpenFollowUp(
                interaction_id=r.id,
                customer_id=r.customer_id,
                due=r.follow_up_due,
                owner_id=r.follow_up_owner or r.staff_id,
                staff_id=r.staff_id,
                occurred_at=r.occurred_at,
                channel=Channel(r.channel),
                category=Category(r.category),
                purpose=r.purpose,
            )
            for r in rows
        ]

    def for_customer(self, customer_id: str) -> list[Interaction]:
        return self._all_of(rows_of(self._conn, t, customer_id, at="occurred_at"), customer_id)

    def rehome(self, interaction_ids: Sequence[str], customer_id: str) -> None:
        rehome_rows(self._conn, self._sealer, t, "notes", interaction_ids, customer_id)

    def delete(self, interaction_ids: Sequence[str]) -> int:
        return delete_rows(self._conn, t, interaction_ids)
