"""The administrator's view of the outbox: what was sent, what waits, what failed, and
trying a dead letter again. Whoever runs the outbox sees who each message is to by id, or by
name under a purpose their role may act under; every customer listed is in the trail."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.shown import naming_shown
from clientkeep.outbox.errors import MessageNotFound, NotRetryable
from clientkeep.outbox.model import (
    MANAGE_OUTBOX,
    OUTCOME_UNKNOWN,
    Envelope,
    Listed,
    OutboxPage,
    Status,
)
from clientkeep.outbox.ports import OutboxUnitOfWork
from clientkeep.outbox.reading import name_fields, names_of
from clientkeep.policy.access import projection_for, require_capability
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput
from clientkeep.shared.ids import has_prefix

PAGE_MAX = 200


def parse_status(raw: str | None) -> Status | None:
    if raw is None or raw == "":
        return None
    try:
        return Status(raw)
    except ValueError:
        choices = ", ".join(s.value for s in Status)
        raise InvalidInput([("status", f"Must be one of: {choices}.")]) from None


def cursor_of(envelope: Envelope) -> str:
    raw = f"{envelope.created_at.isoformat()}|{envelope.id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_cursor(raw: str | None) -> tuple[datetime, str] | None:
    if not raw:
        return None
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        at, message_id = text.split("|", 1)
        when = datetime.fromisoformat(at)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise InvalidInput([("cursor", "Not a cursor this list gave.")]) from None
    if when.tzinfo is None or not has_prefix(message_id, "msg"):
        raise InvalidInput([("cursor", "Not a cursor this list gave.")])
    return when, message_id


@records_denials("outbox.listed")
def list_messages(
    *,
    status: Status | None = None,
    cursor: str | None = None,
    limit: int = 50,
    purpose: str | None = None,
    uow: OutboxUnitOfWork,
    actor: Actor,
    policy: Policy,
) -> OutboxPage:
    """Messages newest first, ``limit`` to a page, optionally of one status."""
    require_capability(policy, actor.role, MANAGE_OUTBOX, "see the outbox")
    projection = None if purpose is None else projection_for(policy, actor.role, purpose)
    if not 1 <= limit <= PAGE_MAX:
        raise InvalidInput([("limit", f"Must be from 1 to {PAGE_MAX}.")])
    before = parse_cursor(cursor)
    with uow:
        envelopes = uow.outbox.page(status=status, before=before, limit=limit + 1)
        more, envelopes = len(envelopes) > limit, envelopes[:limit]
        ids = [e.customer_id for e in envelopes]
        names = {cid: cid for cid in ids} if projection is None else names_of(uow, ids, projection)
        named = [] if projection is None else name_fields(projection)
        shown = {cid: (named if names[cid] != cid else []) for cid in ids}
        head = entry_for(
            actor,
            "outbox.listed",
            purpose=None if projection is None else projection.purpose,
            detail={"status": None if status is None else status.value, "count": len(ids)},
        )
        uow.audit.append(naming_shown(head, shown))
        counts = uow.outbox.counts()
        uow.commit()
    return OutboxPage(
        messages=tuple(Listed(e, names[e.customer_id]) for e in envelopes),
        next_cursor=cursor_of(envelopes[-1]) if more else None,
        counts=counts,
    )


@records_denials("outbox.retried")
def retry_message(
    message_id: str, *, uow: OutboxUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> Envelope:
    """A dead letter waiting again, due now, with its attempts counted afresh."""
    require_capability(policy, actor.role, MANAGE_OUTBOX, "retry messages in the outbox")
    with uow:
        found = uow.outbox.get(message_id)
        if found is None:
            raise MessageNotFound()
        if found.status is not Status.DEAD:
            raise NotRetryable(found.status.value)
        retried = uow.outbox.retry(message_id, clock.now())
        if retried is None:
            raise NotRetryable(found.status.value)
        uow.audit.append(
            entry_for(
                actor,
                "outbox.retried",
                customer_id=retried.customer_id,
                purpose=retried.purpose,
                detail={
                    "message": retried.id,
                    "channel": retried.channel.value,
                    "outcome_was_unknown": found.last_error == OUTCOME_UNKNOWN,
                },
            )
        )
        uow.commit()
    return retried


@records_denials("outbox.listed")
def message_envelope(
    message_id: str, *, uow: OutboxUnitOfWork, actor: Actor, policy: Policy
) -> Envelope:
    """One message's state without its text, for whoever runs the outbox; recorded like a
    listing, naming the customer it is to."""
    require_capability(policy, actor.role, MANAGE_OUTBOX, "see the outbox")
    with uow:
        found = uow.outbox.get(message_id)
        if found is None:
            raise MessageNotFound()
        uow.audit.append(
            entry_for(
                actor,
                "outbox.listed",
                customer_id=found.customer_id,
                detail={"message": found.id, "count": 1},
            )
        )
        uow.commit()
    return found
