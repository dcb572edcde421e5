"""Feedback answers as a kind of personal record (the contract in ``shared.record_kinds``):
held for the purpose each was given under, in the access pack with the comment opened, moved
(resealed) on merge, erased with the customer."""

from __future__ import annotations

from collections.abc import Iterable

from clientkeep.feedback.model import Feedback
from clientkeep.feedback.ports import FeedbackUnitOfWork
from clientkeep.policy.model import Policy
from clientkeep.shared.record_kinds import MergeContext, PackedRow, RowRef

FEEDBACK = "feedback"


class FeedbackAnswers:
    name = FEEDBACK
    label = "Your answers to our satisfaction questions"

    def __init__(self, policy: Policy) -> None:
        self._policy = policy
        notes = policy.field_roles.feedback
        self._fields = frozenset() if notes is None else frozenset({notes})

    def _ref(self, f: Feedback) -> RowRef:
        return RowRef(
            kind=self.name,
            row_id=f.id,
            customer_id=f.customer_id,
            purposes=frozenset({f.purpose}),
            fields=self._fields,
            at=f.at,
        )

    def rows(self, uow: FeedbackUnitOfWork, customer_id: str) -> list[RowRef]:
        return [self._ref(f) for f in uow.feedback.for_customer(customer_id)]

    def pack(self, uow: FeedbackUnitOfWork, customer_id: str) -> list[PackedRow]:
        return [
            PackedRow(
                ref=self._ref(f),
                content={
                    "at": f.at.isoformat(),
                    "scale": f.scale.value,
                    "score": str(f.score),
                    "comment": f.comment,
                    "channel": f.channel,
                    "category": f.category,
                    "interaction_id": f.interaction_id,
                    "about_the_contact_with": f.staff_id,
                    "recorded_by": f.recorded_by,
                    "purpose": f.purpose,
                },
            )
            for f in uow.feedback.for_customer(customer_id)
        ]

    def move(self, uow: FeedbackUnitOfWork, merge: MergeContext) -> int:
        moved = [f.id for f in uow.feedback.for_customer(merge.duplicate_id)]
        uow.feedback.rehome(moved, merge.survivor_id)
        return len(moved)

    def erase(
        self, uow: FeedbackUnitOfWork, customer_id: str, row_ids: Iterable[str] | None = None
    ) -> int:
        held = {f.id for f in uow.feedback.for_customer(customer_id)}
        chosen = held if row_ids is None else held & set(row_ids)
        return uow.feedback.delete(sorted(chosen))
