"""Complaints as a kind of personal record (the contract in ``shared.record_kinds``): each
case and its steps, held for the complaints purpose and about the complaint-details field, in
the access pack, moved on merge (resealed under the survivor's key), erased with the customer
(steps first)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from clientkeep.complaints.model import Complaint, ComplaintStep
from clientkeep.complaints.ports import ComplaintUnitOfWork
from clientkeep.policy.model import Policy
from clientkeep.shared.record_kinds import MergeContext, PackedRow, RowRef

COMPLAINT = "complaint"


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


class Complaints:
    name = COMPLAINT
    label = "Complaints and how they were handled"

    def __init__(self, policy: Policy) -> None:
        named = policy.field_roles.complaint_details
        self._fields = frozenset({named}) if named else frozenset()

    def _ref(self, c: Complaint, steps: list[ComplaintStep]) -> RowRef:
        last = max([c.changed_at, *(s.at for s in steps)])
        return RowRef(
            kind=self.name,
            row_id=c.id,
            customer_id=c.customer_id,
            purposes=frozenset({c.purpose}),
            fields=self._fields,
            at=last,
        )

    def _cases(
        self, uow: ComplaintUnitOfWork, customer_id: str
    ) -> list[tuple[Complaint, list[ComplaintStep]]]:
        steps: dict[str, list[ComplaintStep]] = {}
        for step in uow.complaints.steps_for_customer(customer_id):
            steps.setdefault(step.complaint_id, []).append(step)
        return [(c, steps.get(c.id, [])) for c in uow.complaints.for_customer(customer_id)]

    def rows(self, uow: ComplaintUnitOfWork, customer_id: str) -> list[RowRef]:
        return [self._ref(c, steps) for c, steps in self._cases(uow, customer_id)]

    def pack(self, uow: ComplaintUnitOfWork, customer_id: str) -> list[PackedRow]:
        packed = []
        for c, steps in self._cases(uow, customer_id):
            d = c.details
            content: dict[str, str | None] = {
                "type": c.type,
                "channel": c.channel,
                "purpose": c.purpose,
                "state": c.state.value,
                "received_at": c.received_at.isoformat(),
                "opened_by": c.opened_by,
                "owner": c.owner_id,
                "summary": d.summary if d else None,
                "desired_outcome": (d.desired_outcome or None) if d else None,
                "resolution": d.resolution if d else None,
                "acknowledge_due": c.acknowledge_due.isoformat(),
                "final_response_due": c.final_response_due.isoformat(),
                "acknowledged_at": _iso(c.acknowledged_at),
                "resolved_at": _iso(c.resolved_at),
                "closed_at": _iso(c.closed_at),
                "days_on_hold": str(c.held_days),
                "checklist": ", ".join(k for k, done in c.checklist.items() if done) or None,
                "customer_accepted": c.customer_accepted.value if c.customer_accepted else None,
            }
            for i, step in enumerate(steps, start=1):
                line = f"{step.at.isoformat()} {step.step} by {step.staff_id}"
                content[f"step_{i}"] = line + (f": {step.note}" if step.note else "")
            packed.append(PackedRow(ref=self._ref(c, steps), content=content))
        return packed

    def move(self, uow: ComplaintUnitOfWork, merge: MergeContext) -> int:
        moved = [c.id for c in uow.complaints.for_customer(merge.duplicate_id)]
        uow.complaints.rehome(moved, merge.survivor_id)
        return len(moved)

    def erase(
        self, uow: ComplaintUnitOfWork, customer_id: str, row_ids: Iterable[str] | None = None
    ) -> int:
        held = {c.id for c in uow.complaints.for_customer(customer_id)}
        chosen = held if row_ids is None else held & set(row_ids)
        uow.complaints.delete(sorted(chosen))
        return len(chosen)
