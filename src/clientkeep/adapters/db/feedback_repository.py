"""Feedback answers in the main database: scores plain for counting, the comment sealed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, func, or_, select

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.db._customer_rows import delete_rows, rehome_rows, rows_of
from clientkeep.adapters.db._sealing import Sealer
from clientkeep.adapters.db.contact_tables import feedback as t
from clientkeep.adapters.db.contact_tables import interaction
from clientkeep.feedback.model import Feedback, LinkedContact, Scale
from clientkeep.feedback.ports import GROUP_COLUMNS
from clientkeep.feedback.scores import DETRACTOR_TO, PROMOTER_FROM, SATISFIED_FROM, Tally

TABLE = "feedback"


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _tally(row: Any) -> Tally:
    return Tally(
        csat_answers=int(row.csat_answers),
        satisfied=int(row.satisfied),
        nps_answers=int(row.nps_answers),
        promoters=int(row.promoters),
        passives=int(row.passives),
        detractors=int(row.detractors),
    )


class SqlFeedbackRepository:
    def __init__(self, conn: Connection, sealer: Sealer) -> None:
        self._conn = conn
        self._sealer = sealer

    def add(self, feedback: Feedback) -> None:
        comment = None
        if feedback.comment is not None:
            cipher = self._sealer.cipher(feedback.customer_id)
            comment = cipher.seal_text(TABLE, "comment", feedback.id, feedback.comment)
        self._conn.execute(
            t.insert().values(
                id=feedback.id,
                customer_id=feedback.customer_id,
                at=feedback.at,
                month=feedback.month,
                purpose=feedback.purpose,
                recorded_by=feedback.recorded_by,
                staff_id=feedback.staff_id,
                interaction_id=feedback.interaction_id,
                channel=feedback.channel,
                category=feedback.category,
                csat=feedback.score if feedback.scale is Scale.CSAT else None,
                nps=feedback.score if feedback.scale is Scale.NPS else None,
                comment=comment,
            )
        )

    def _of(self, row: Any, cipher: CustomerCipher | None) -> Feedback:
        comment = None
        if row.comment is not None and cipher is not None:
            comment = cipher.open_text(TABLE, "comment", row.id, row.comment)
        scale = Scale.CSAT if row.csat is not None else Scale.NPS
        return Feedback(
            id=row.id,
            customer_id=row.customer_id,
            at=row.at,
            month=row.month,
            purpose=row.purpose,
            recorded_by=row.recorded_by,
            staff_id=row.staff_id,
            interaction_id=row.interaction_id,
            channel=row.channel,
            category=row.category,
            scale=scale,
            score=int(row.csat if row.csat is not None else row.nps),
            comment=comment,
        )

    def _opened(self, rows: Sequence[Any], customer_id: str) -> list[Feedback]:
        if not rows:
            return []
        # The key is fetched only when a row holds a comment to open.
        cipher = (
            self._sealer.cipher(customer_id) if any(r.comment is not None for r in rows) else None
        )
        return [self._of(r, cipher) for r in rows]

    def get(self, feedback_id: str) -> Feedback | None:
        row = self._conn.execute(select(t).where(t.c.id == feedback_id)).first()
        if row is None:
            return None
        return self._opened([row], row.customer_id)[0]

    def for_customer(self, customer_id: str) -> list[Feedback]:
        return self._opened(rows_of(self._conn, t, customer_id), customer_id)

    def page(
        self, customer_id: str, *, before: tuple[datetime, str] | None, limit: int
    ) -> list[Feedback]:
        query = select(t).where(t.c.customer_id == customer_id)
        if before is not None:
            at, row_id = before
            query = query.where(or_(t.c.at < at, and_(t.c.at == at, t.c.id < row_id)))
        rows = self._conn.execute(query.order_by(t.c.at.desc(), t.c.id.desc()).limit(limit)).all()
        return self._opened(rows, customer_id)

    def contact(self, interaction_id: str) -> LinkedContact | None:
        i = interaction
        row = self._conn.execute(
            select(
                i.c.id, i.c.customer_id, i.c.staff_id, i.c.channel, i.c.category, i.c.occurred_at
            ).where(i.c.id == interaction_id)
        ).first()
        if row is None:
            return None
        return LinkedContact(
            id=row.id,
            customer_id=row.customer_id,
            staff_id=row.staff_id,
            channel=row.channel,
            category=row.category,
            occurred_at=row.occurred_at,
        )

    def _counted(self, keys: Sequence[Any], from_month: str, to_month: str) -> Sequence[Any]:
        query = (
            select(
                *keys,
                _count(t.c.csat.is_not(None)).label("csat_answers"),
                _count(t.c.csat >= SATISFIED_FROM).label("satisfied"),
                _count(t.c.nps.is_not(None)).label("nps_answers"),
                _count(t.c.nps >= PROMOTER_FROM).label("promoters"),
                _count(and_(t.c.nps > DETRACTOR_TO, t.c.nps < PROMOTER_FROM)).label("passives"),
                _count(t.c.nps <= DETRACTOR_TO).label("detractors"),
            )
            .where(t.c.month >= from_month, t.c.month <= to_month)
            .group_by(*keys)
        )
        return self._conn.execute(query).all()

    def tallies(self, by: str, from_month: str, to_month: str) -> dict[str | None, Tally]:
        rows = self._counted([t.c[GROUP_COLUMNS[by]]], from_month, to_month)
        return {row[0]: _tally(row) for row in rows}

    def tallies_by_all(
        self, from_month: str, to_month: str
    ) -> dict[tuple[str, str | None, str | None, str], Tally]:
        keys = [t.c.month, t.c.channel, t.c.category, t.c.staff_id]
        rows = self._counted(keys, from_month, to_month)
        return {(row[0], row[1], row[2], row[3]): _tally(row) for row in rows}

    def rehome(self, feedback_ids: Sequence[str], customer_id: str) -> None:
        rehome_rows(self._conn, self._sealer, t, "comment", feedback_ids, customer_id)

    def delete(self, feedback_ids: Sequence[str]) -> int:
        return delete_rows(self._conn, t, feedback_ids)
