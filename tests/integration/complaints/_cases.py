"""Helpers for the complaints tests: a customer, a case opened, a step taken."""

from __future__ import annotations

from typing import Any

from clientkeep.complaints import services as complaints
from tests.integration.record_kinds.drivers import Canaries
from tests.integration.record_kinds.drivers_complaint import ComplaintDriver

CHECKLIST = {"listened": True, "apologised": True, "solution_offered": True, "thanked": True}


def customer(container: Any, personas: Any) -> str:
    return ComplaintDriver(container, personas).register(Canaries(), as_duplicate=False)[0]


def open_case(container: Any, persona: Any, customer_id: str, **kwargs: Any) -> Any:
    values: dict[str, Any] = {
        "customer_id": customer_id,
        "type": "general",
        "summary": "The bill charged twice for November.",
        "desired_outcome": "Refund the second charge.",
        "channel": "phone",
    }
    values.update(kwargs)
    key = values.pop("idempotency_key", None)
    return complaints.open_complaint(
        complaints.OpenComplaint(**values),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        idempotency_key=key,
    )


def step(container: Any, persona: Any, complaint_id: str, name: str, **kwargs: Any) -> Any:
    if name == "resolve":
        kwargs.setdefault("resolution", "Refunded the second charge.")
        kwargs.setdefault("checklist", CHECKLIST)
        kwargs.setdefault("customer_accepted", "yes")
    return complaints.move(
        complaint_id,
        complaints.MoveComplaint(step=name, **kwargs),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
    )
