"""The contract driver for complaints: an agent opens two cases through the real use cases, one
put on hold and released, one resolved; the summary, desired outcome, every note and the
resolution carry canaries. All of it is held about the complaint-details field, which only the
complaints purpose shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clientkeep.complaints import services as complaints
from clientkeep.complaints.kinds import COMPLAINT
from clientkeep.shared.record_kinds import PackedRow
from tests.integration.record_kinds.drivers import Canaries, Made, Returned, _CustomerRecords

DETAILS = "complaint_details"


def _by_row(packed: list[PackedRow]) -> dict[str, Mapping[str, str | None]]:
    return {p.ref.row_id: p.content for p in packed}


def _words(view: complaints.ComplaintView) -> list[str]:
    d = view.details
    held = [] if d is None else [d.summary, d.desired_outcome, d.resolution or ""]
    return held + [s.note for s in view.steps if s.note]


class ComplaintDriver(_CustomerRecords):
    kind = COMPLAINT
    read_action = "customer.complaints_read"
    take_from_duplicate: frozenset[str] = frozenset()
    holds_values = True
    # Only the complaints purpose uses the complaint details.
    audited_purpose = "complaints"

    def make(self, canaries: Canaries, *, as_duplicate: bool = False) -> Made:
        customer_id, _ = self.register(canaries, as_duplicate=as_duplicate)
        c, w = self.container, canaries.word
        agent = self.personas.agent.actor
        before = set(canaries.words)

        def step(complaint_id: str, **kwargs: Any) -> None:
            complaints.move(
                complaint_id,
                complaints.MoveComplaint(**kwargs),
                uow=c.uow(),
                actor=agent,
                policy=c.policy,
                clock=c.clock,
            )

        for kind in ("general", "service"):
            opened = complaints.open_complaint(
                complaints.OpenComplaint(
                    customer_id=customer_id,
                    type=kind,
                    summary=f"the {w()} invoice was wrong",
                    desired_outcome=f"a refund of the {w()} charge",
                    channel="phone",
                ),
                uow=c.uow(),
                actor=agent,
                policy=c.policy,
                clock=c.clock,
            )
            step(opened.id, step="acknowledge")
            step(opened.id, step="note", note=f"the customer called about the {w()} letter")
            if kind == "service":
                step(opened.id, step="hold", note=f"waiting for the {w()} statement")
                step(opened.id, step="release")
            else:
                step(
                    opened.id,
                    step="resolve",
                    resolution=f"refunded the {w()} charge",
                    checklist={
                        "listened": True,
                        "apologised": True,
                        "solution_offered": True,
                        "thanked": False,
                    },
                    customer_accepted="yes",
                )
        return Made(customer_id, {DETAILS: frozenset(set(canaries.words) - before)})

    def read(self, persona: Any, customer_id: str, purpose: str) -> Returned:
        views = complaints.customer_complaints(
            customer_id,
            purpose=purpose,
            uow=self.container.uow(),
            actor=persona.actor,
            policy=self.container.policy,
            clock=self.container.clock,
        )
        words = [w for v in views for w in _words(v)]
        shown = {DETAILS: frozenset(words)} if words else {}
        # The words are left out of the views' repr, so they are added to the text by hand.
        text = repr(views) + " ".join(words)
        return Returned(shown, text)

    def check_merged(
        self,
        survivor_before: list[PackedRow],
        duplicate_before: list[PackedRow],
        survivor_after: list[PackedRow],
    ) -> None:
        # Cases move whole, with every step: all of both, unchanged, and nothing else.
        assert _by_row(survivor_after) == _by_row(survivor_before) | _by_row(duplicate_before)

    def stale_derived_rows(self, customer_id: str) -> set[tuple[Any, ...]]:
        return set()  # complaints keep no derived rows
