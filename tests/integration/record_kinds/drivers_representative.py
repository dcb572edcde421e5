"""The contract driver for authorised representatives: two recorded for each customer through
the real use case (name, relationship, reference and evidence carrying canaries), one approved
and one refused by another member, so every sealed column (details, answers, decision) is on
two rows. A representative holds no value of the customer's fields (words about another
person, and that person's own answers), so the driver claims no field: its canaries are
looked for in the raw storage only, and the read shows no field."""

from __future__ import annotations

from typing import Any

from clientkeep.shared.record_kinds import PackedRow
from clientkeep.verification import representatives as reps
from clientkeep.verification.representative_kinds import REPRESENTATIVE
from tests.integration.record_kinds.drivers import Canaries, Made, Returned, _CustomerRecords

ANSWERS = {"date_of_birth": "1961-07-02", "postcode": "LS1 4AP"}


class RepresentativeDriver(_CustomerRecords):
    kind = REPRESENTATIVE
    read_action = "customer.representatives_read"
    take_from_duplicate: frozenset[str] = frozenset()
    holds_values = False

    def make(self, canaries: Canaries, *, as_duplicate: bool = False) -> Made:
        customer_id, _ = self.register(canaries, as_duplicate=as_duplicate)
        c = self.container
        for decision in ("approve", "refuse"):
            word = canaries.word
            made = reps.record_representative(
                customer_id,
                reps.RecordRepresentative(
                    name=f"{word()} {word()}",
                    relationship=f"{word()} of the customer",
                    authority="lasting_power_of_attorney",
                    reference=f"OPG {word()}",
                    evidence_seen=f"registered LPA, {word()}",
                    scope_fields=["given_name", "email"],
                    scope_actions=["disclose"],
                    answers=ANSWERS,
                ),
                uow=c.uow(),
                actor=self.personas.agent.actor,
                policy=c.policy,
                clock=c.clock,
            )
            reps.decide(
                customer_id,
                made.representative_id,
                reps.Decide(decision=decision, reason=f"checked with {word()}"),
                uow=c.uow(),
                actor=self.personas.supervisor.actor,
                policy=c.policy,
                clock=c.clock,
            )
        return Made(customer_id, {})

    def read(self, persona: Any, customer_id: str, purpose: str) -> Returned:
        found = reps.representatives(
            customer_id,
            purpose=purpose,
            uow=self.container.uow(),
            actor=persona.actor,
            policy=self.container.policy,
            clock=self.container.clock,
        )
        return Returned({}, repr(found))

    def check_merged(
        self,
        survivor_before: list[PackedRow],
        duplicate_before: list[PackedRow],
        survivor_after: list[PackedRow],
    ) -> None:
        # Every representative of both, unchanged but for whose they are.
        after = {p.ref.row_id: p.content for p in survivor_after}
        assert after == {p.ref.row_id: p.content for p in survivor_before + duplicate_before}

    def stale_derived_rows(self, customer_id: str) -> set[tuple[Any, ...]]:
        return set()
