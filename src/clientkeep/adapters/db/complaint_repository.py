"""Complaints and their steps in the main database: what the customer said and wants, the
resolution and every step's note sealed under the customer's key; type, channel, state,
times, deadlines, the checklist and the customer's answer plain, so the board and reports are
counted in SQL without opening a row."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, case, delete, or_, select, update

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.db._customer_rows import rehome_rows, rows_of
from clientkeep.adapters.db._sealing import Sealer
from clientkeep.adapters.db.contact_tables import complaint as t
from clientkeep.adapters.db.contact_tables import complaint_step as s
from clientkeep.adapters.db.contact_tables import interaction
from clientkeep.complaints.model import (
    UNRESOLVED,
    Accepted,
    Complaint,
    ComplaintDetails,
    ComplaintStep,
    State,
)
from clientkeep.complaints.ports import BoardQuery

TABLE = "complaint"
STEP_TABLE = "complaint_step"
# The deadline a case awaits next: its acknowledgement until given, then its final response.
next_due = case((t.c.acknowledged_at.is_(None), t.c.acknowledge_due), else_=t.c.final_response_due)


def _details_text(details: ComplaintDetails) -> str:
    return json.dumps(
        {
            "summary": details.summary,
            "desired_outcome": details.desired_outcome,
            "resolution": details.resolution,
        },
        ensure_ascii=False,
    )


def _details_of(text: str) -> ComplaintDetails:
    held = json.loads(text)
    return ComplaintDetails(
        summary=held["summary"],
        desired_outcome=held["desired_outcome"],
        resolution=held["resolution"],
    )


def _step_of(row: Any, cipher: CustomerCipher | None) -> ComplaintStep:
    note = None
    if row.note is not None and cipher is not None:
        note = cipher.open_text(STEP_TABLE, "note", row.id, row.note)
    return ComplaintStep(
        id=row.id,
        complaint_id=row.complaint_id,
        customer_id=row.customer_id,
        at=row.at,
        staff_id=row.staff_id,
        step=row.step,
        from_state=State(row.from_state) if row.from_state else None,
        to_state=State(row.to_state),
        note=note,
    )


class SqlComplaintRepository:
    def __init__(self, conn: Connection, sealer: Sealer) -> None:
        self._conn = conn
        self._sealer = sealer

    def _values(self, c: Complaint) -> dict[str, Any]:
        values: dict[str, Any] = {
            "state": c.state.value,
            "owner_id": c.owner_id,
            "acknowledge_due": c.acknowledge_due,
            "final_response_due": c.final_response_due,
            "acknowledged_at": c.acknowledged_at,
            "resolved_at": c.resolved_at,
            "closed_at": c.closed_at,
            "on_hold_since": c.on_hold_since,
            "held_days": c.held_days,
            "checklist": json.dumps(dict(c.checklist), sort_keys=True),
            "customer_accepted": None
            if c.customer_accepted in (None, Accepted.UNKNOWN)
            else c.customer_accepted.value,
            "changed_at": c.changed_at,
        }
        if c.details is not None:
            cipher = self._sealer.cipher(c.customer_id)
            values["details"] = cipher.seal_text(TABLE, "details", c.id, _details_text(c.details))
        return values

    def add(self, complaint: Complaint) -> None:
        self._conn.execute(
            t.insert().values(
                id=complaint.id,
                customer_id=complaint.customer_id,
                type=complaint.type,
                channel=complaint.channel,
                purpose=complaint.purpose,
                received_at=complaint.received_at,
                opened_by=complaint.opened_by,
                interaction_id=complaint.interaction_id,
                **self._values(complaint),
            )
        )

    def save(self, complaint: Complaint) -> None:
        self._conn.execute(
            update(t).where(t.c.id == complaint.id).values(**self._values(complaint))
        )

    def add_step(self, step: ComplaintStep) -> None:
        note = None
        if step.note is not None:
            note = self._sealer.cipher(step.customer_id).seal_text(
                STEP_TABLE, "note", step.id, step.note
            )
        self._conn.execute(
            s.insert().values(
                id=step.id,
                complaint_id=step.complaint_id,
                customer_id=step.customer_id,
                at=step.at,
                staff_id=step.staff_id,
                step=step.step,
                from_state=step.from_state.value if step.from_state else None,
                to_state=step.to_state.value,
                note=note,
            )
        )

    def _of(self, row: Any, cipher: CustomerCipher | None) -> Complaint:
        accepted = row.customer_accepted
        return Complaint(
            id=row.id,
            customer_id=row.customer_id,
            type=row.type,
            channel=row.channel,
            purpose=row.purpose,
            state=State(row.state),
            received_at=row.received_at,
            opened_by=row.opened_by,
            owner_id=row.owner_id,
            interaction_id=row.interaction_id,
            acknowledge_due=row.acknowledge_due,
            final_response_due=row.final_response_due,
            acknowledged_at=row.acknowledged_at,
            resolved_at=row.resolved_at,
            closed_at=row.closed_at,
            on_hold_since=row.on_hold_since,
            held_days=row.held_days,
            checklist=json.loads(row.checklist),
            customer_accepted=Accepted(accepted) if accepted else None,
            changed_at=row.changed_at,
            details=None
            if cipher is None
            else _details_of(cipher.open_text(TABLE, "details", row.id, row.details)),
        )

    def get(self, complaint_id: str) -> Complaint | None:
        row = self._conn.execute(select(t).where(t.c.id == complaint_id)).first()
        if row is None:
            return None
        return self._of(row, self._sealer.cipher(row.customer_id))

    def steps(self, complaint_id: str) -> list[ComplaintStep]:
        rows = self._conn.execute(
            select(s).where(s.c.complaint_id == complaint_id).order_by(s.c.at, s.c.id)
        ).all()
        if not rows:
            return []
        cipher = self._sealer.cipher(rows[0].customer_id)
        return [_step_of(r, cipher) for r in rows]

    def for_customer(self, customer_id: str) -> list[Complaint]:
        rows = rows_of(self._conn, t, customer_id, at="received_at")
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [self._of(r, cipher) for r in rows]

    def steps_for_customer(self, customer_id: str) -> list[ComplaintStep]:
        rows = rows_of(self._conn, s, customer_id)
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [_step_of(r, cipher) for r in rows]

    def board(self, query: BoardQuery) -> list[Complaint]:
        q = select(t).where(t.c.state.in_([st.value for st in query.states]))
        if query.owner_id is not None:
            q = q.where(t.c.owner_id == query.owner_id)
        if query.type is not None:
            q = q.where(t.c.type == query.type)
        if query.due is not None:
            awaiting = t.c.state.in_([st.value for st in UNRESOLVED])
            overdue = or_(
                t.c.final_response_due < query.today,
                and_(t.c.acknowledged_at.is_(None), t.c.acknowledge_due < query.today),
            )
            if query.due == "overdue":
                q = q.where(awaiting, overdue)
            else:
                q = q.where(awaiting, ~overdue, next_due <= query.nearly_until)
        if query.after is not None:
            due, complaint_id = query.after
            q = q.where(or_(next_due > due, and_(next_due == due, t.c.id > complaint_id)))
        rows = self._conn.execute(q.order_by(next_due, t.c.id).limit(query.limit)).all()
        return [self._of(r, None) for r in rows]

    def received_between(self, start: datetime | None, end: datetime | None) -> list[Complaint]:
        q = select(t)
        if start is not None:
            q = q.where(t.c.received_at >= start)
        if end is not None:
            q = q.where(t.c.received_at < end)
        rows = self._conn.execute(q.order_by(t.c.received_at, t.c.id)).all()
        return [self._of(r, None) for r in rows]

    def timeline_page(
        self, customer_id: str, before: tuple[datetime, str] | None, limit: int
    ) -> list[ComplaintStep]:
        q = select(s).where(s.c.customer_id == customer_id)
        if before is not None:
            at, step_id = before
            q = q.where(or_(s.c.at < at, and_(s.c.at == at, s.c.id < step_id)))
        rows = self._conn.execute(q.order_by(s.c.at.desc(), s.c.id.desc()).limit(limit)).all()
        if not rows:
            return []
        cipher = self._sealer.cipher(customer_id)
        return [_step_of(r, cipher) for r in rows]

    def interaction_customer(self, interaction_id: str) -> str | None:
        found = self._conn.execute(
            select(interaction.c.customer_id).where(interaction.c.id == interaction_id)
        ).first()
        return None if found is None else str(found.customer_id)

    def rehome(self, complaint_ids: Sequence[str], customer_id: str) -> None:
        if not complaint_ids:
            return
        rehome_rows(self._conn, self._sealer, t, "details", complaint_ids, customer_id)
        step_ids = [
            r.id
            for r in self._conn.execute(
                select(s.c.id).where(s.c.complaint_id.in_(complaint_ids))
            ).all()
        ]
        rehome_rows(self._conn, self._sealer, s, "note", step_ids, customer_id)

    def delete(self, complaint_ids: Sequence[str]) -> int:
        if not complaint_ids:
            return 0
        steps = self._conn.execute(delete(s).where(s.c.complaint_id.in_(complaint_ids)))
        cases = self._conn.execute(delete(t).where(t.c.id.in_(complaint_ids)))
        return int(steps.rowcount or 0) + int(cases.rowcount or 0)
