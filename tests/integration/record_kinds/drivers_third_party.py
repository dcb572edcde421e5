"""The contract driver for third parties' requests: an agent records two requests through the
real use case, one field each, and a supervisor approves both; the words of each request and
of its decision carry canaries. They are held about the fields asked for, so they are expected
wherever a purpose shows those fields (the given name: every purpose but identity
verification) and nowhere else (the date of birth: service only)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clientkeep.shared.record_kinds import PackedRow
from clientkeep.verification import third_party
from clientkeep.verification.third_party_kinds import THIRD_PARTY_REQUEST
from tests.integration.record_kinds.drivers import Canaries, Made, Returned, _CustomerRecords

ASKED = ("given_name", "date_of_birth")


def _by_row(packed: list[PackedRow]) -> dict[str, Mapping[str, str | None]]:
    return {p.ref.row_id: p.content for p in packed}


def _words(view: third_party.RequestView) -> list[str]:
    d = view.details
    held = (
        [] if d is None else [d.requester, d.organisation, d.identity_check, d.reference, d.reason]
    )
    return held + ([view.decision] if view.decision is not None else [])


class ThirdPartyRequestDriver(_CustomerRecords):
    kind = THIRD_PARTY_REQUEST
    read_action = "customer.third_party_requests_read"
    take_from_duplicate: frozenset[str] = frozenset()
    holds_values = True

    def make(self, canaries: Canaries, *, as_duplicate: bool = False) -> Made:
        customer_id, _ = self.register(canaries, as_duplicate=as_duplicate)
        c, w = self.container, canaries.word
        held: dict[str, frozenset[str]] = {}
        for name in ASKED:
            before = set(canaries.words)
            request = third_party.record_request(
                customer_id,
                third_party.RecordRequest(
                    requester=f"PC {w()} {w()}",
                    organisation=f"{w()} Constabulary",
                    identity_check=f"called back on the {w()} switchboard",
                    basis="crime_and_taxation",
                    reference=f"CR/{w()}",
                    reason=f"an inquiry into the {w()} burglary",
                    fields=[name],
                    purpose="service",
                ),
                uow=c.uow(),
                actor=self.personas.agent.actor,
                policy=c.policy,
                clock=c.clock,
            )
            third_party.decide(
                request.id,
                third_party.DecideRequest(
                    decision="approve", reason=f"crime number {w()} checked with the force"
                ),
                uow=c.uow(),
                actor=self.personas.supervisor.actor,
                policy=c.policy,
                clock=c.clock,
            )
            held[name] = frozenset(set(canaries.words) - before)
        return Made(customer_id, held)

    def read(self, persona: Any, customer_id: str, purpose: str) -> Returned:
        views = third_party.customer_requests(
            customer_id,
            purpose=purpose,
            uow=self.container.uow(),
            actor=persona.actor,
            policy=self.container.policy,
        )
        shown: dict[str, set[str]] = {}
        for view in views:
            words = _words(view)
            if words:
                for name in view.fields:
                    shown.setdefault(name, set()).update(words)
        # The words are left out of the view's repr, so they are added to the text by hand.
        text = repr(views) + " ".join(" ".join(_words(v)) for v in views)
        return Returned({n: frozenset(v) for n, v in shown.items()}, text)

    def check_merged(
        self,
        survivor_before: list[PackedRow],
        duplicate_before: list[PackedRow],
        survivor_after: list[PackedRow],
    ) -> None:
        # Requests move whole: every one of both, unchanged, and nothing else.
        assert _by_row(survivor_after) == _by_row(survivor_before) | _by_row(duplicate_before)

    def stale_derived_rows(self, customer_id: str) -> set[tuple[Any, ...]]:
        return set()  # requests keep no derived rows
