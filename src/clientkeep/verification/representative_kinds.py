"""Authorised representatives as a kind of personal record (the contract in
``shared.record_kinds``): held for the purpose each was recorded under, in the access pack
(without the representative's answers: those are for checking them, not about the
customer), moved on merge resealed under the survivor's key, erased with the customer."""

from __future__ import annotations

from collections.abc import Iterable

from clientkeep.shared.record_kinds import MergeContext, PackedRow, RowRef
from clientkeep.verification.ports import VerificationUnitOfWork
from clientkeep.verification.representative_model import Representative
from clientkeep.verification.representatives import last_day

REPRESENTATIVE = "representative"


class Representatives:
    name = REPRESENTATIVE
    label = "People with authority to act for you"

    def _ref(self, r: Representative) -> RowRef:
        return RowRef(
            kind=self.name,
            row_id=r.id,
            customer_id=r.customer_id,
            # Kept as long as the purpose they were recorded under keeps the record.
            purposes=frozenset({r.purpose}),
            # Words about the representative and their authority; no value of a field.
            fields=frozenset(),
            at=r.decided_at or r.created_at,
        )

    def rows(self, uow: VerificationUnitOfWork, customer_id: str) -> list[RowRef]:
        return [self._ref(r) for r in uow.representatives.for_customer(customer_id)]

    def pack(self, uow: VerificationUnitOfWork, customer_id: str) -> list[PackedRow]:
        packed = []
        for r in uow.representatives.for_customer(customer_id):
            expires_on = last_day(r.expires_at)
            packed.append(
                PackedRow(
                    ref=self._ref(r),
                    content={
                        "name": r.name,
                        "relationship": r.relationship,
                        "authority": r.authority.value,
                        "reference": r.reference or None,
                        "evidence_seen": r.evidence_seen,
                        "may_be_told_or_change": ", ".join(r.scope_fields),
                        "may": ", ".join(r.scope_actions),
                        "until": None if expires_on is None else expires_on.isoformat(),
                        "status": r.status.value,
                        "recorded_at": r.created_at.isoformat(),
                        "recorded_by": r.created_by,
                        "decided_at": None if r.decided_at is None else r.decided_at.isoformat(),
                        "decided_by": r.decided_by,
                        "decision_reason": r.decision_reason,
                        "purpose": r.purpose,
                    },
                )
            )
        return packed

    def move(self, uow: VerificationUnitOfWork, merge: MergeContext) -> int:
        moved = [r.id for r in uow.representatives.for_customer(merge.duplicate_id)]
        uow.representatives.rehome(moved, merge.survivor_id)
        return len(moved)

    def erase(
        self, uow: VerificationUnitOfWork, customer_id: str, row_ids: Iterable[str] | None = None
    ) -> int:
        held = {r.id for r in uow.representatives.for_customer(customer_id)}
        chosen = held if row_ids is None else held & set(row_ids)
        return uow.representatives.delete(sorted(chosen))
