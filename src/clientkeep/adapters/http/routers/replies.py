"""A written reply to a disclosure over REST: the letter to print, or an email of what was
told to the address on record, through the outbox."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field

from clientkeep.adapters.http.customer_records_schemas import Strict
from clientkeep.adapters.http.deps import ActorDep, ContainerDep
from clientkeep.verification import replies

router = APIRouter(prefix="/customers", tags=["disclosures"])


class LetterOut(Strict):
    disclosure_id: str
    subject: str
    body: str = Field(description="Plain text, holding exactly the details the disclosure told.")


class QueuedReplyOut(Strict):
    disclosure_id: str
    message_id: str = Field(description="The outbox message; GET /api/v1/outbox shows it.")


@router.get(
    "/{customer_id}/disclosures/{disclosure_id}/letter",
    response_model=LetterOut,
    summary="The letter answering one of your disclosures, for printing",
    responses={
        403: {"description": "What the disclosure rested on no longer holds."},
        404: {"description": "No such disclosure of yours for this customer."},
    },
)
def letter(customer_id: str, disclosure_id: str, actor: ActorDep, c: ContainerDep) -> LetterOut:
    reply = replies.letter(
        customer_id,
        disclosure_id,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
        renderer=c.replies.renderer,
    )
    return LetterOut(disclosure_id=disclosure_id, subject=reply.subject, body=reply.body)


@router.post(
    "/{customer_id}/disclosures/{disclosure_id}/email",
    response_model=QueuedReplyOut,
    status_code=202,
    summary="Email what one of your disclosures told to the address on the customer's record",
    responses={
        403: {"description": "Your check of the caller no longer holds."},
        404: {"description": "No such disclosure of yours for this customer."},
        409: {
            "description": "Not a disclosure by email to the verified customer, or the record "
            "holds no email address."
        },
    },
)
def email(customer_id: str, disclosure_id: str, actor: ActorDep, c: ContainerDep) -> QueuedReplyOut:
    queued = replies.email_reply(
        customer_id,
        disclosure_id,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
        tools=c.replies,
    )
    return QueuedReplyOut(disclosure_id=queued.disclosure_id, message_id=queued.message_id)
