"""Helpers for the interaction tests: a customer, and contacts logged as a member of staff."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from clientkeep.customers import services as customers
from clientkeep.interactions import follow_ups, recording
from clientkeep.interactions import timeline as timelines


def customer(container: Any, personas: Any, given: str = "Ada") -> str:
    return customers.register(
        customers.RegisterCustomer(
            purpose="service",
            fields={"given_name": given, "family_name": "Lovelace", "email": "ada@example.com"},
            source="phone",
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id


def log(container: Any, persona: Any, customer_id: str, **given: Any) -> recording.Logged:
    fields: dict[str, Any] = {
        "channel": "phone",
        "category": "enquiry",
        "nature": "asked about the bill",
        "actions_taken": "explained the charges",
    }
    fields.update(given)
    key = fields.pop("idempotency_key", None)
    # Each contact a second after the last, so newest-first order is the order logged.
    container.clock.advance(timedelta(seconds=1))
    return recording.log_interaction(
        customer_id,
        recording.LogInteraction(**fields),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        idempotency_key=key,
    )


def correct(container: Any, persona: Any, customer_id: str, old: str, **given: Any) -> str:
    return recording.correct_interaction(
        customer_id,
        old,
        recording.CorrectInteraction(**given),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
    ).interaction_id


def read(container: Any, persona: Any, customer_id: str, purpose: str = "service", **kw: Any):
    return timelines.timeline(
        customer_id,
        purpose=purpose,
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        sources=container.timeline_sources,
        **kw,
    )


def queue(container: Any, persona: Any, **kw: Any):
    return follow_ups.follow_ups(
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        **kw,
    )
