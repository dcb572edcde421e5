"""Third parties' requests as a kind of personal record (the contract in
``shared.record_kinds``): held for the purpose each was made under, in the access pack, moved
on merge (resealed under the survivor's key), erased with the customer."""

from __future__ import annotations

from collections.abc import Iterable

from clientkeep.shared.record_kinds import MergeContext, PackedRow, RowRef
from clientkeep.verification.ports import ThirdPartyUnitOfWork
from clientkeep.verification.third_party_bases import BASES
from clientkeep.verification.third_party_model import ThirdPartyRequest

THIRD_PARTY_REQUEST = "third_party_request"


class ThirdPartyRequests:
    name = THIRD_PARTY_REQUEST
    label = "Requests from others for your details"

    def _ref(self, r: ThirdPartyRequest) -> RowRef:
        return RowRef(
            kind=self.name,
            row_id=r.id,
            customer_id=r.customer_id,
            # Kept as long as the purpose the details were asked under keeps them.
            purposes=frozenset({r.purpose}),
            # What was said about the request is held about the fields asked for.
            fields=frozenset(r.fields),
            at=r.at,
        )

    def rows(self, uow: ThirdPartyUnitOfWork, customer_id: str) -> list[RowRef]:
        return [self._ref(r) for r in uow.third_party_requests.for_customer(customer_id)]

    def pack(self, uow: ThirdPartyUnitOfWork, customer_id: str) -> list[PackedRow]:
        packed = []
        for r in uow.third_party_requests.for_customer(customer_id):
            basis = BASES.get(r.basis)
            packed.append(
                PackedRow(
                    ref=self._ref(r),
                    content={
                        "asked_at": r.created_at.isoformat(),
                        "recorded_by": r.created_by,
                        "requester": r.details.requester,
                        "organisation": r.details.organisation,
                        "identity_checked_by": r.details.identity_check,
                        "their_reference": r.details.reference or None,
                        "their_reason": r.details.reason,
                        "basis": r.basis,
                        "basis_law": basis.law if basis else None,
                        "purpose": r.purpose,
                        "details_asked_for": ", ".join(r.fields),
                        "status": r.status.value,
                        "details_approved": None
                        if r.approved_fields is None
                        else ", ".join(r.approved_fields),
                        "decided_by": r.decided_by,
                        "decided_at": r.decided_at.isoformat() if r.decided_at else None,
                        "decision_reason": r.decision,
                        "disclosure_id": r.disclosure_id,
                    },
                )
            )
        return packed

    def move(self, uow: ThirdPartyUnitOfWork, merge: MergeContext) -> int:
        moved = [r.id for r in uow.third_party_requests.for_customer(merge.duplicate_id)]
        uow.third_party_requests.rehome(moved, merge.survivor_id)
        return len(moved)

    def erase(
        self, uow: ThirdPartyUnitOfWork, customer_id: str, row_ids: Iterable[str] | None = None
    ) -> int:
        held = {r.id for r in uow.third_party_requests.for_customer(customer_id)}
        chosen = held if row_ids is None else held & set(row_ids)
        return uow.third_party_requests.delete(sorted(chosen))
