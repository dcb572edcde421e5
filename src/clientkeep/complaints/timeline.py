"""Complaints on a customer's timeline: an entry per case opened and per step of handling it,
shown only where the reader's purpose shows the complaint details (what was complained of and
said is the details), newest first, one page at a time."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from clientkeep.complaints.model import OPENED
from clientkeep.policy.model import Policy
from clientkeep.shared.timeline import TimelineEntry

TITLES = {
    OPENED: "Complaint opened",
    "acknowledged": "Complaint acknowledged",
    "investigating": "Complaint under investigation",
    "escalated": "Complaint escalated",
    "held": "Complaint put on hold",
    "released": "Complaint taken off hold",
    "resolved": "Complaint resolved",
    "closed": "Complaint closed",
    "reopened": "Complaint reopened",
    "assigned": "Complaint assigned",
    "noted": "Note on a complaint",
}


class ComplaintTimeline:
    name = "complaint"

    def __init__(self, policy: Policy) -> None:
        self._field = policy.field_roles.complaint_details

    def entries(
        self,
        uow: Any,
        customer_id: str,
        *,
        shown: frozenset[str],
        before: tuple[datetime, str] | None,
        limit: int,
    ) -> list[TimelineEntry]:
        if self._field is None or self._field not in shown:
            return []
        steps = uow.complaints.timeline_page(customer_id, before, limit)
        cases = {
            c.id: c
            for c in uow.complaints.for_customer(customer_id)
            if any(s.complaint_id == c.id for s in steps)
        }
        fields = frozenset({self._field})
        found = []
        for step in steps:
            details: list[tuple[str, str]] = []
            case = cases.get(step.complaint_id)
            if step.step == OPENED and case is not None and case.details is not None:
                details.append(("Summary", case.details.summary))
            if step.note:
                details.append(("Note", step.note))
            found.append(
                TimelineEntry(
                    kind=self.name,
                    entry_id=step.id,
                    at=step.at,
                    staff_id=step.staff_id,
                    title=TITLES.get(step.step, "Complaint step"),
                    details=tuple(details),
                    fields=fields if details else frozenset(),
                    parent_id=step.complaint_id,
                )
            )
        return found
