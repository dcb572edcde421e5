"""Reading messages under a purpose: each part shown only where the projection shows what it
holds, and every read in the audit trail naming the customer and the fields it showed."""

from __future__ import annotations

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.views import display_name
from clientkeep.outbox.errors import MessageNotFound
from clientkeep.outbox.model import MANAGE_OUTBOX, Content, Envelope, MessageView
from clientkeep.outbox.ports import OutboxUnitOfWork
from clientkeep.policy.access import projection_for, require_capability
from clientkeep.policy.model import Policy, Projection
from clientkeep.shared.actor import Actor


def view_of(envelope: Envelope, content: Content, projection: Projection, who: str) -> MessageView:
    """The recipient where the projection shows its field; subject and body where it shows
    every field they quote."""
    shows_to = projection.shows(envelope.to_field)
    shows_text = all(projection.shows(name) for name in envelope.quotes)
    shown = ({envelope.to_field} if shows_to else set()) | (
        set(envelope.quotes) if shows_text else set()
    )
    return MessageView(
        envelope=envelope,
        customer=who,
        purpose=projection.purpose,
        to=content.to if shows_to else None,
        subject=content.subject if shows_text else None,
        body=content.body if shows_text else None,
        fields_shown=tuple(sorted(shown)),
    )


def name_fields(projection: Projection) -> list[str]:
    """The name fields a display name may be built from under ``projection``."""
    parts = projection.parts
    names = (parts.preferred_name, parts.given_name, parts.family_name)
    return [n for n in names if n is not None and projection.shows(n)]


def names_of(
    uow: OutboxUnitOfWork, customer_ids: list[str], projection: Projection
) -> dict[str, str]:
    """{customer id: display name} where ``projection`` shows names; the id otherwise."""
    names = {cid: cid for cid in customer_ids}
    fields = name_fields(projection)
    if fields and customer_ids:
        for customer in uow.customers.get_many(sorted(set(customer_ids)), fields=fields):
            names[customer.id] = display_name(customer, projection)
    return names


@records_denials("outbox.read", customer="customer_id")
def customer_messages(
    customer_id: str, *, purpose: str, uow: OutboxUnitOfWork, actor: Actor, policy: Policy
) -> list[MessageView]:
    """Every message about the customer, newest first, as ``purpose`` shows them."""
    projection = projection_for(policy, actor.role, purpose)
    with uow:
        opened = uow.outbox.opened_for_customer(customer_id)
        # Read for one customer the caller already names: their id, not their name.
        views = [view_of(e, c, projection, customer_id) for e, c in opened]
        uow.audit.append(
            entry_for(
                actor,
                "outbox.read",
                customer_id=customer_id,
                purpose=projection.purpose,
                fields=tuple(sorted({f for v in views for f in v.fields_shown})),
                detail={"messages": len(views)},
            )
        )
        uow.commit()
    return sorted(views, key=lambda v: (v.envelope.created_at, v.envelope.id), reverse=True)


@records_denials("outbox.read")
def read_message(
    message_id: str, *, purpose: str, uow: OutboxUnitOfWork, actor: Actor, policy: Policy
) -> MessageView:
    """One message for the outbox's detail page, for whoever runs the outbox, under a
    purpose their role may act under."""
    require_capability(policy, actor.role, MANAGE_OUTBOX, "see the outbox")
    projection = projection_for(policy, actor.role, purpose)
    with uow:
        found = uow.outbox.open(message_id)
        if found is None:
            raise MessageNotFound()
        envelope, content = found
        who = names_of(uow, [envelope.customer_id], projection)[envelope.customer_id]
        view = view_of(envelope, content, projection, who)
        named = name_fields(projection) if who != envelope.customer_id else []
        uow.audit.append(
            entry_for(
                actor,
                "outbox.read",
                customer_id=envelope.customer_id,
                purpose=projection.purpose,
                fields=tuple(sorted({*view.fields_shown, *named})),
                detail={"messages": 1, "message": envelope.id},
            )
        )
        uow.commit()
    return view
