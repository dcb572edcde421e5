"""The contract driver for feedback: a supervisor records two answers through the real use
case (a CSAT and an NPS score), each with a comment carrying canaries. Comments are held as
the feedback field, so their words are expected wherever a purpose shows feedback (service
and complaints) and nowhere else."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clientkeep.feedback import services as feedback
from clientkeep.shared.record_kinds import PackedRow
from tests.integration.record_kinds.drivers import Canaries, Made, Returned, _CustomerRecords


def _by_row(packed: list[PackedRow]) -> dict[str, Mapping[str, str | None]]:
    return {p.ref.row_id: p.content for p in packed}


class FeedbackDriver(_CustomerRecords):
    kind = feedback.FEEDBACK
    read_action = "customer.feedback_read"
    # Billing does not use feedback: the audited read is checked under one that does.
    audited_purpose = "complaints"
    take_from_duplicate: frozenset[str] = frozenset()
    holds_values = True

    def make(self, canaries: Canaries, *, as_duplicate: bool = False) -> Made:
        customer_id, _ = self.register(canaries, as_duplicate=as_duplicate)
        c = self.container
        name = c.policy.field_roles.feedback
        assert name is not None
        words: set[str] = set()
        for score in ({"csat": 4}, {"nps": 9}):
            comment = f"the {canaries.word()} was {canaries.word()}"
            feedback.record_feedback(
                customer_id,
                feedback.RecordFeedback(**score, comment=comment, channel="phone"),
                uow=c.uow(),
                actor=self.personas.supervisor.actor,
                policy=c.policy,
                clock=c.clock,
            )
            words |= {w for w in canaries.words if w in comment}
        return Made(customer_id, {name: frozenset(words)})

    def read(self, persona: Any, customer_id: str, purpose: str) -> Returned:
        page = feedback.customer_feedback(
            customer_id,
            purpose=purpose,
            uow=self.container.uow(),
            actor=persona.actor,
            policy=self.container.policy,
        )
        name = self.container.policy.field_roles.feedback
        comments = frozenset(i.comment for i in page.items if i.comment)
        shown = {name: comments} if comments and name is not None else {}
        # The comment is left out of the view's repr, so it is added to the text by hand.
        text = repr(page) + " ".join(comments)
        return Returned(shown, text)

    def check_merged(
        self,
        survivor_before: list[PackedRow],
        duplicate_before: list[PackedRow],
        survivor_after: list[PackedRow],
    ) -> None:
        # Answers move whole: every one of both, unchanged, and nothing else.
        assert _by_row(survivor_after) == _by_row(survivor_before) | _by_row(duplicate_before)

    def stale_derived_rows(self, customer_id: str) -> set[tuple[Any, ...]]:
        return set()  # feedback keeps no derived rows
