"""Verification attempts as a kind of personal record (the contract in
``shared.record_kinds``): in the access pack, moved on merge, erased with the customer."""

from __future__ import annotations

from collections.abc import Iterable

from clientkeep.shared.record_kinds import MergeContext, PackedRow, RowRef
from clientkeep.verification.model import Verification
from clientkeep.verification.ports import VerificationUnitOfWork

VERIFICATION_ATTEMPT = "verification_attempt"
PURPOSE = "identity_verification"


class VerificationAttempts:
    name = VERIFICATION_ATTEMPT
    label = "Checks that a caller was you"

    def _ref(self, v: Verification) -> RowRef:
        return RowRef(
            kind=self.name,
            row_id=v.id,
            customer_id=v.customer_id,
            # Held to show who was told what about the customer, as long as the record is.
            purposes=frozenset({PURPOSE}),
            # The details a caller was asked for: compared, never held here.
            fields=frozenset(),
            at=v.at,
        )

    def rows(self, uow: VerificationUnitOfWork, customer_id: str) -> list[RowRef]:
        return [self._ref(v) for v in uow.verifications.for_customer(customer_id)]

    def pack(self, uow: VerificationUnitOfWork, customer_id: str) -> list[PackedRow]:
        return [
            PackedRow(
                ref=self._ref(v),
                content={
                    "method": v.method.value,
                    "outcome": "passed" if v.passed else "failed",
                    "details_asked_for": ", ".join(v.stated),
                    "at": v.at.isoformat(),
                    "valid_until": v.expires_at.isoformat() if v.expires_at else None,
                    "checked_by": v.staff_id,
                },
            )
            for v in uow.verifications.for_customer(customer_id)
        ]

    def move(self, uow: VerificationUnitOfWork, merge: MergeContext) -> int:
        moved = [v.id for v in uow.verifications.for_customer(merge.duplicate_id)]
        uow.verifications.rehome(moved, merge.survivor_id)
        # A code sent for the duplicate is void: it went to that record's address, and its
        # digest is bound to the record. Nothing of it is worth keeping or packing.
        uow.verifications.delete_codes(merge.duplicate_id)
        return len(moved)

    def erase(
        self, uow: VerificationUnitOfWork, customer_id: str, row_ids: Iterable[str] | None = None
    ) -> int:
        held = {v.id for v in uow.verifications.for_customer(customer_id)}
        chosen = held if row_ids is None else held & set(row_ids)
        if row_ids is None:
            # Codes are not rows of their own (a keyed digest of a random number and times)
            # but name the customer, so they go with the customer.
            uow.verifications.delete_codes(customer_id)
        return uow.verifications.delete(sorted(chosen))
