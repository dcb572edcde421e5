"""The contract driver for verification attempts: checks run through the real use case, one
passed and one failed per customer, so two rows carry each sealed column, and a one-time code
sent to the customer, so the kind's code table is exercised too (erased with the customer,
dropped for a merged duplicate). An attempt holds no value of a field (what the caller said
is never stored), so it carries no canary."""

from __future__ import annotations

from typing import Any

from clientkeep.shared.record_kinds import PackedRow
from clientkeep.verification import one_time_codes as codes
from clientkeep.verification import services as verification
from clientkeep.verification.kinds import VERIFICATION_ATTEMPT
from tests.integration.record_kinds.drivers import Canaries, Made, Returned, _CustomerRecords

RIGHT = {"date_of_birth": "10/12/1985", "postcode": "sw1a 1aa"}
WRONG = {"date_of_birth": "1990-01-01", "postcode": "M1 1AE"}


class VerificationAttemptDriver(_CustomerRecords):
    kind = VERIFICATION_ATTEMPT
    read_action = "customer.verifications_read"
    take_from_duplicate: frozenset[str] = frozenset()
    holds_values = False

    def make(self, canaries: Canaries, *, as_duplicate: bool = False) -> Made:
        customer_id, _ = self.register(canaries, as_duplicate=as_duplicate)
        for answers in (WRONG, RIGHT):
            verification.check_knowledge(
                customer_id,
                verification.KnowledgeCheck(answers=answers),
                uow=self.container.uow(),
                actor=self.personas.agent.actor,
                policy=self.container.policy,
                clock=self.container.clock,
            )
        codes.send_code(
            customer_id,
            codes.SendCode(channel="email"),
            uow=self.container.uow(),
            actor=self.personas.agent.actor,
            policy=self.container.policy,
            clock=self.container.clock,
            codes=self.container.one_time_codes,
        )
        return Made(customer_id, {})

    def read(self, persona: Any, customer_id: str, purpose: str) -> Returned:
        found = verification.attempts(
            customer_id,
            purpose=purpose,
            uow=self.container.uow(),
            actor=persona.actor,
            policy=self.container.policy,
        )
        return Returned({}, repr(found))

    def check_merged(
        self,
        survivor_before: list[PackedRow],
        duplicate_before: list[PackedRow],
        survivor_after: list[PackedRow],
    ) -> None:
        # Every check of both, unchanged but for whose it is.
        after = {p.ref.row_id: p.content for p in survivor_after}
        assert after == {p.ref.row_id: p.content for p in survivor_before + duplicate_before}

    def stale_derived_rows(self, customer_id: str) -> set[tuple[Any, ...]]:
        return set()
