"""The contract driver for interactions: a supervisor logs two contacts and corrects one,
every note carrying canaries, and reads them back through the timeline. The notes are held
about the contact-notes field, so their words are expected wherever a purpose shows it
(service, billing, complaints) and nowhere else (marketing)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clientkeep.interactions import recording
from clientkeep.interactions import timeline as timelines
from clientkeep.interactions.kinds import INTERACTION
from clientkeep.shared.record_kinds import PackedRow
from tests.integration.record_kinds.drivers import Canaries, Made, Returned, _CustomerRecords


def _by_row(packed: list[PackedRow]) -> dict[str, Mapping[str, str | None]]:
    return {p.ref.row_id: p.content for p in packed}


class InteractionDriver(_CustomerRecords):
    kind = INTERACTION
    read_action = timelines.ACTION
    take_from_duplicate: frozenset[str] = frozenset()
    holds_values = True

    def make(self, canaries: Canaries, *, as_duplicate: bool = False) -> Made:
        customer_id, _ = self.register(canaries, as_duplicate=as_duplicate)
        c, agent = self.container, self.personas.supervisor.actor
        part = c.policy.field_roles.contact_notes
        assert part is not None
        words: list[str] = []
        first = None
        for _ in range(2):
            nature, actions = canaries.word(), canaries.word()
            words += [nature, actions]
            done = recording.log_interaction(
                customer_id,
                recording.LogInteraction(
                    channel="phone",
                    category="enquiry",
                    nature=f"asked about {nature}",
                    actions_taken=f"explained {actions}",
                    purpose="service",
                ),
                uow=c.uow(),
                actor=agent,
                policy=c.policy,
                clock=c.clock,
            )
            first = first or done.interaction_id
        reason = canaries.word()
        words.append(reason)
        assert first is not None
        recording.correct_interaction(
            customer_id,
            first,
            recording.CorrectInteraction(reason=f"misheard {reason}"),
            uow=c.uow(),
            actor=agent,
            policy=c.policy,
            clock=c.clock,
        )
        return Made(customer_id, {part: frozenset(words)})

    def read(self, persona: Any, customer_id: str, purpose: str) -> Returned:
        page = timelines.timeline(
            customer_id,
            purpose=purpose,
            uow=self.container.uow(),
            actor=persona.actor,
            policy=self.container.policy,
            sources=self.container.timeline_sources,
        )
        shown: dict[str, set[str]] = {}
        for entry in page.entries:
            for name in entry.fields:
                shown.setdefault(name, set()).update(text for _, text in entry.details)
        text = repr(page) + " ".join(t for e in page.entries for _, t in e.details)
        return Returned({n: frozenset(v) for n, v in shown.items()}, text)

    def check_merged(
        self,
        survivor_before: list[PackedRow],
        duplicate_before: list[PackedRow],
        survivor_after: list[PackedRow],
    ) -> None:
        # Interactions move whole: every one of both, unchanged, and nothing else.
        assert _by_row(survivor_after) == _by_row(survivor_before) | _by_row(duplicate_before)

    def stale_derived_rows(self, customer_id: str) -> set[tuple[Any, ...]]:
        return set()  # interactions keep no derived rows
