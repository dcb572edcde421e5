"""Disclosures as a kind of personal record (the contract in ``shared.record_kinds``): held
for the purpose each was made under, in the access pack, moved on merge, erased with the
customer."""

from __future__ import annotations

from collections.abc import Iterable

from clientkeep.policy.model import Policy
from clientkeep.shared.record_kinds import MergeContext, PackedRow, RowRef
from clientkeep.verification.disclosure_model import Disclosure
from clientkeep.verification.ports import DisclosureUnitOfWork

DISCLOSURE = "disclosure"


class Disclosures:
    name = DISCLOSURE
    label = "Who we told your details to"

    def __init__(self, policy: Policy) -> None:
        self._policy = policy

    def _ref(self, d: Disclosure) -> RowRef:
        return RowRef(
            kind=self.name,
            row_id=d.id,
            customer_id=d.customer_id,
            # Kept as long as the purpose the details were supplied under keeps them.
            purposes=frozenset({d.purpose}),
            # The recipient is held about the fields told: who heard a value goes with it.
            fields=frozenset(d.fields),
            at=d.at,
        )

    def _basis(self, purpose: str) -> str | None:
        found = self._policy.purposes.get(purpose)
        return None if found is None else found.lawful_basis.value

    def rows(self, uow: DisclosureUnitOfWork, customer_id: str) -> list[RowRef]:
        return [self._ref(d) for d in uow.disclosures.for_customer(customer_id)]

    def pack(self, uow: DisclosureUnitOfWork, customer_id: str) -> list[PackedRow]:
        return [
            PackedRow(
                ref=self._ref(d),
                content={
                    "at": d.at.isoformat(),
                    "told_by": d.staff_id,
                    "told_to": d.recipient,
                    "details_told": ", ".join(d.fields),
                    "channel": d.channel.value,
                    "purpose": d.purpose,
                    "lawful_basis": self._basis(d.purpose),
                    "verification_id": d.verification_id,
                    "third_party_request_id": d.request_id,
                },
            )
            for d in uow.disclosures.for_customer(customer_id)
        ]

    def move(self, uow: DisclosureUnitOfWork, merge: MergeContext) -> int:
        moved = [d.id for d in uow.disclosures.for_customer(merge.duplicate_id)]
        uow.disclosures.rehome(moved, merge.survivor_id)
        return len(moved)

    def erase(
        self, uow: DisclosureUnitOfWork, customer_id: str, row_ids: Iterable[str] | None = None
    ) -> int:
        held = {d.id for d in uow.disclosures.for_customer(customer_id)}
        chosen = held if row_ids is None else held & set(row_ids)
        return uow.disclosures.delete(sorted(chosen))
