"""A record's field history as a source of the customer's timeline: each collection,
correction, removal and merge of a value, shown only where the purpose shows that field
(otherwise the entry is left out: even that a value changed is about the value)."""

from __future__ import annotations

from datetime import datetime

from clientkeep.customers.model import Change, ChangeKind
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.policy.model import Policy
from clientkeep.shared.timeline import TimelineEntry

FIELD_CHANGE = "field_change"
_VERBS = {
    ChangeKind.COLLECTED: "collected",
    ChangeKind.RECTIFIED: "corrected",
    ChangeKind.REMOVED: "removed",
    ChangeKind.MERGED: "merged",
}


class FieldHistoryTimeline:
    name = FIELD_CHANGE

    def __init__(self, policy: Policy) -> None:
        self._policy = policy

    def _entry(self, c: Change) -> TimelineEntry:
        label = self._policy.fields[c.field].label if c.field in self._policy.fields else c.field
        details: list[tuple[str, str]] = []
        if c.old_value is not None:
            details.append(("Was", c.old_value))
        if c.new_value is not None:
            details.append(("Now", c.new_value))
        details.append(("Reason", c.reason))
        return TimelineEntry(
            kind=FIELD_CHANGE,
            entry_id=c.id,
            at=c.changed_at,
            staff_id=c.changed_by,
            title=f"{label} {_VERBS[c.kind]}",
            details=tuple(details),
            fields=frozenset({c.field}),
        )

    def entries(
        self,
        uow: CustomerUnitOfWork,
        customer_id: str,
        *,
        shown: frozenset[str],
        before: tuple[datetime, str] | None,
        limit: int,
    ) -> list[TimelineEntry]:
        if not shown:
            return []
        found = uow.history.page(customer_id, fields=shown, before=before, limit=limit)
        return [self._entry(c) for c in found]
