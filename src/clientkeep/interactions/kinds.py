"""Interactions as a kind of personal record (the contract in ``shared.record_kinds``): held
for the purpose each was logged under, about the contact-notes field, in the access pack,
moved on merge, erased with the customer."""

from __future__ import annotations

from collections.abc import Iterable

from clientkeep.interactions.model import Interaction
from clientkeep.interactions.ports import InteractionUnitOfWork
from clientkeep.policy.model import Policy
from clientkeep.shared.record_kinds import MergeContext, PackedRow, RowRef

INTERACTION = "interaction"


class Interactions:
    name = INTERACTION
    label = "Your contacts with us"

    def __init__(self, policy: Policy) -> None:
        self._policy = policy
        part = policy.field_roles.contact_notes
        self._fields = frozenset() if part is None else frozenset({part})

    def _ref(self, i: Interaction) -> RowRef:
        return RowRef(
            kind=self.name,
            row_id=i.id,
            customer_id=i.customer_id,
            purposes=frozenset({i.purpose}),
            fields=self._fields,
            at=i.occurred_at,
        )

    def rows(self, uow: InteractionUnitOfWork, customer_id: str) -> list[RowRef]:
        return [self._ref(i) for i in uow.interactions.for_customer(customer_id)]

    def pack(self, uow: InteractionUnitOfWork, customer_id: str) -> list[PackedRow]:
        return [
            PackedRow(
                ref=self._ref(i),
                content={
                    "occurred_at": i.occurred_at.isoformat(),
                    "recorded_at": i.recorded_at.isoformat(),
                    "logged_by": i.staff_id,
                    "channel": i.channel.value,
                    "category": i.category.value,
                    "nature": i.notes.nature,
                    "actions_taken": i.notes.actions_taken,
                    "outcome": i.outcome.value,
                    "follow_up_due": i.follow_up_due.isoformat() if i.follow_up_due else None,
                    "follows_up": i.follows_up,
                    "corrects": i.corrects,
                    "reason_for_correction": i.notes.reason,
                    "purpose": i.purpose,
                },
            )
            for i in uow.interactions.for_customer(customer_id)
        ]

    def move(self, uow: InteractionUnitOfWork, merge: MergeContext) -> int:
        moved = [i.id for i in uow.interactions.for_customer(merge.duplicate_id)]
        uow.interactions.rehome(moved, merge.survivor_id)
        return len(moved)

    def erase(
        self, uow: InteractionUnitOfWork, customer_id: str, row_ids: Iterable[str] | None = None
    ) -> int:
        held = {i.id for i in uow.interactions.for_customer(customer_id)}
        chosen = held if row_ids is None else held & set(row_ids)
        return uow.interactions.delete(sorted(chosen))
