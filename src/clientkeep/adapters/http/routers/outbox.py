"""The outbox over REST, for whoever runs it (the administrator): GET /api/v1/outbox lists
messages newest first, by status, a page at a time; GET /api/v1/outbox/{id} reads one under a
purpose; POST /api/v1/outbox/{id}/retry sends a dead letter again. Nothing here sends."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from clientkeep.adapters.http.deps import ActorDep, ContainerDep
from clientkeep.outbox import services as outbox
from clientkeep.outbox.model import Envelope

router = APIRouter(prefix="/outbox", tags=["outbox"])


class MessageOut(BaseModel):
    id: str
    customer_id: str
    # The customer's display name where a purpose given shows names; their id otherwise.
    customer: str
    channel: str
    kind: str
    purpose: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime | None
    sent_at: datetime | None
    provider_id: str | None
    last_error: str | None

    @classmethod
    def of(cls, envelope: Envelope, customer: str) -> MessageOut:
        return cls(
            id=envelope.id,
            customer_id=envelope.customer_id,
            customer=customer,
            channel=envelope.channel.value,
            kind=envelope.kind,
            purpose=envelope.purpose,
            status=envelope.status.value,
            attempts=envelope.attempts,
            created_at=envelope.created_at,
            next_attempt_at=envelope.next_attempt_at,
            sent_at=envelope.sent_at,
            provider_id=envelope.provider_id,
            last_error=envelope.last_error,
        )


class OutboxPageOut(BaseModel):
    items: list[MessageOut]
    # Older messages; None on the last page.
    next_cursor: str | None
    # How many messages are in each status, across the whole outbox.
    counts: dict[str, int]


class MessageReadOut(MessageOut):
    read_purpose: str
    # Each None where the purpose does not show what it holds.
    to: str | None
    subject: str | None
    body: str | None


MessageId = Annotated[str, Path(max_length=32, description="a message id (msg_...)")]
PurposeQuery = Annotated[str | None, Query(max_length=64, description="one of the policy's")]


@router.get("", response_model=OutboxPageOut, summary="Messages in the outbox, newest first")
def list_outbox(
    actor: ActorDep,
    c: ContainerDep,
    status: Annotated[
        str | None, Query(max_length=16, description="waiting, sending, sent or dead")
    ] = None,
    cursor: Annotated[str | None, Query(max_length=200, description="a page's next_cursor")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    purpose: PurposeQuery = None,
) -> OutboxPageOut:
    page = outbox.list_messages(
        status=outbox.parse_status(status),
        cursor=cursor,
        limit=limit,
        purpose=purpose,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
    )
    return OutboxPageOut(
        items=[MessageOut.of(m.envelope, m.customer) for m in page.messages],
        next_cursor=page.next_cursor,
        counts=page.counts,
    )


@router.get("/{message_id}", response_model=MessageReadOut, summary="Read one message")
def read_outbox_message(
    message_id: MessageId,
    actor: ActorDep,
    c: ContainerDep,
    purpose: Annotated[str, Query(max_length=64, description="the purpose of the read")],
) -> MessageReadOut:
    view = outbox.read_message(
        message_id, purpose=purpose, uow=c.uow(), actor=actor, policy=c.policy
    )
    head = MessageOut.of(view.envelope, view.customer)
    return MessageReadOut(
        **head.model_dump(),
        read_purpose=view.purpose,
        to=view.to,
        subject=view.subject,
        body=view.body,
    )


@router.post(
    "/{message_id}/retry",
    response_model=MessageOut,
    summary="Send a dead letter again (check first that it did not arrive)",
)
def retry_outbox_message(message_id: MessageId, actor: ActorDep, c: ContainerDep) -> MessageOut:
    retried = outbox.retry_message(
        message_id, uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock
    )
    return MessageOut.of(retried, retried.customer_id)
