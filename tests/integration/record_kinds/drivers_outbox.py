"""The contract suite's driver for messages to customers (``outbox_message``): a registered
customer with two emails in the outbox, each quoting one name, every part carrying canaries.

The lead adds ``OUTBOX_MESSAGE: OutboxMessageDriver`` to ``registry.DRIVERS`` once the kind
is registered in the composition root.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clientkeep.outbox import services as outbox
from clientkeep.shared.record_kinds import PackedRow
from tests.integration.record_kinds.drivers import Canaries, Made, Returned, _CustomerRecords


def _by_row(packed: list[PackedRow]) -> dict[str, Mapping[str, str | None]]:
    return {p.ref.row_id: p.content for p in packed}


class OutboxMessageDriver(_CustomerRecords):
    kind = outbox.OUTBOX_MESSAGE
    read_action = "outbox.read"
    take_from_duplicate: frozenset[str] = frozenset()
    holds_values = True

    def make(self, canaries: Canaries, *, as_duplicate: bool = False) -> Made:
        customer_id, values = self.register(canaries, as_duplicate=as_duplicate)
        policy, parts = self.container.policy, self.container.policy.field_roles
        written: dict[str, set[str]] = {parts.email: set()}
        with self.container.uow() as uow:
            for quoted in (parts.given_name, parts.family_name):
                subject = f"About your {canaries.word()} order"
                body = f"Dear {values[quoted]},\nyour code is {canaries.word()}."
                outbox.enqueue(
                    uow,
                    outbox.Message(
                        customer_id=customer_id,
                        channel="email",
                        to=values[parts.email],
                        subject=subject,
                        body=body,
                        purpose="service",
                        kind="one_time_code",
                        quotes=frozenset({quoted}),
                    ),
                    self.container.clock.now(),
                    policy=policy,
                )
                words = {w for w in canaries.words if w in subject or w in body}
                written[quoted] = words
                written[parts.email] |= {
                    w for w in canaries.words if w.casefold() in values[parts.email]
                }
            uow.commit()
        return Made(customer_id, {n: frozenset(w) for n, w in written.items()})

    def read(self, persona: Any, customer_id: str, purpose: str) -> Returned:
        views = outbox.customer_messages(
            customer_id,
            purpose=purpose,
            uow=self.container.uow(),
            actor=persona.actor,
            policy=self.container.policy,
        )
        shown: dict[str, set[str]] = {}
        for view in views:
            if view.to is not None:
                shown.setdefault(view.envelope.to_field, set()).add(view.to)
            if view.body is not None and view.subject is not None:
                for name in view.envelope.quotes:
                    shown.setdefault(name, set()).update({view.subject, view.body})
        text = repr(views) + " ".join(v.body or "" for v in views)
        return Returned({n: frozenset(v) for n, v in shown.items()}, text)

    def check_merged(
        self,
        survivor_before: list[PackedRow],
        duplicate_before: list[PackedRow],
        survivor_after: list[PackedRow],
    ) -> None:
        # Messages move whole: every one of both, unchanged, and nothing else.
        assert _by_row(survivor_after) == _by_row(survivor_before) | _by_row(duplicate_before)

    def stale_derived_rows(self, customer_id: str) -> set[tuple[Any, ...]]:
        return set()  # messages keep no derived rows
