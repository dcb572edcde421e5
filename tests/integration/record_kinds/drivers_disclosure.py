"""The contract driver for disclosures: a supervisor verifies the caller through the real use
case and tells them two details, one at a time, each to a recipient carrying canaries. The
recipient is held about the fields told, so its words are expected wherever a purpose shows
those fields (the given name: every purpose but identity verification) and nowhere else (the date
of birth: service only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clientkeep.shared.record_kinds import PackedRow
from clientkeep.verification import disclosure as disclosures
from clientkeep.verification import services as verification
from clientkeep.verification.disclosure_kinds import DISCLOSURE
from tests.integration.record_kinds.drivers import Canaries, Made, Returned, _CustomerRecords
from tests.integration.record_kinds.drivers_verification import RIGHT

TOLD = ("given_name", "date_of_birth")


def _by_row(packed: list[PackedRow]) -> dict[str, Mapping[str, str | None]]:
    return {p.ref.row_id: p.content for p in packed}


class DisclosureDriver(_CustomerRecords):
    kind = DISCLOSURE
    read_action = "customer.disclosures_read"
    take_from_duplicate: frozenset[str] = frozenset()
    holds_values = True

    def make(self, canaries: Canaries, *, as_duplicate: bool = False) -> Made:
        customer_id, _ = self.register(canaries, as_duplicate=as_duplicate)
        c, teller = self.container, self.personas.supervisor.actor
        check = verification.check_knowledge(
            customer_id,
            verification.KnowledgeCheck(answers=RIGHT),
            uow=c.uow(),
            actor=teller,
            policy=c.policy,
            clock=c.clock,
        )
        assert check.verification_id is not None
        held: dict[str, frozenset[str]] = {}
        for name in TOLD:
            recipient = f"the caller, {canaries.word()} {canaries.word()}"
            disclosures.disclose(
                customer_id,
                disclosures.Disclose(
                    verification_id=check.verification_id,
                    fields=[name],
                    channel="phone",
                    recipient=recipient,
                ),
                uow=c.uow(),
                actor=teller,
                policy=c.policy,
                clock=c.clock,
            )
            held[name] = frozenset(w for w in canaries.words if w in recipient)
        return Made(customer_id, held)

    def read(self, persona: Any, customer_id: str, purpose: str) -> Returned:
        views = disclosures.disclosure_log(
            customer_id,
            purpose=purpose,
            uow=self.container.uow(),
            actor=persona.actor,
            policy=self.container.policy,
        )
        shown: dict[str, set[str]] = {}
        for view in views:
            if view.recipient is not None:
                for name in view.fields:
                    shown.setdefault(name, set()).add(view.recipient)
        # The recipient is left out of the view's repr, so it is added to the text by hand.
        text = repr(views) + " ".join(v.recipient or "" for v in views)
        return Returned({n: frozenset(v) for n, v in shown.items()}, text)

    def check_merged(
        self,
        survivor_before: list[PackedRow],
        duplicate_before: list[PackedRow],
        survivor_after: list[PackedRow],
    ) -> None:
        # Disclosures move whole: every one of both, unchanged, and nothing else.
        assert _by_row(survivor_after) == _by_row(survivor_before) | _by_row(duplicate_before)

    def stale_derived_rows(self, customer_id: str) -> set[tuple[Any, ...]]:
        return set()  # disclosures keep no derived rows
