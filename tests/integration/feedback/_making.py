"""What the feedback tests share: a customer, a contact logged with them (written straight
into the interaction table: the answers only read it), and answers recorded for real."""

from __future__ import annotations

from datetime import datetime

from clientkeep.adapters.db.contact_tables import interaction
from clientkeep.customers import services as customers
from clientkeep.feedback import services as feedback


def a_customer(container, persona, *, email: str | None = "ada@example.com") -> str:
    values = {"given_name": "Ada", "family_name": "Lovelace", "postcode": "SW1A 1AA"}
    if email is not None:
        values["email"] = email
    else:
        values["phone"] = "020 7946 0018"
    return customers.register(
        customers.RegisterCustomer(purpose="service", fields=values, source="phone"),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id


def a_contact(
    container,
    customer_id: str,
    staff_id: str,
    *,
    channel: str = "phone",
    category: str = "enquiry",
    at: datetime | None = None,
    row_id: str | None = None,
) -> str:
    when = at or container.clock.now()
    made = row_id or f"int_{abs(hash((customer_id, staff_id, channel, when))) % 10**20:020d}"
    with container.engine.begin() as conn:
        conn.execute(
            interaction.insert().values(
                id=made,
                customer_id=customer_id,
                staff_id=staff_id,
                occurred_at=when,
                recorded_at=when,
                channel=channel,
                category=category,
                outcome="resolved",
                purpose="service",
                warnings="[]",
                notes=b"sealed elsewhere",
            )
        )
    return made


def record(container, persona, customer_id: str, **given) -> feedback.Recorded:
    key = given.pop("idempotency_key", None)
    return feedback.record_feedback(
        customer_id,
        feedback.RecordFeedback(**given),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        idempotency_key=key,
    )
