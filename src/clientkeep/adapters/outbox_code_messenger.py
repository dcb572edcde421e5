"""Handing verification's messages (one-time codes, replies to a disclosure) to the outbox:
verification may not import the outbox (the order of capabilities), so the composition root
gives it this, which may."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from clientkeep.outbox.enqueue import enqueue
from clientkeep.outbox.model import Message
from clientkeep.outbox.ports import OutboxUnitOfWork
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.verification.ports import CodeMessage, VerificationUnitOfWork


class OutboxCodeMessenger:
    def send(
        self,
        uow: VerificationUnitOfWork,
        message: CodeMessage,
        now: datetime,
        *,
        policy: Policy,
        actor: Actor,
    ) -> str:
        # The application's unit of work carries the outbox beside the verifications.
        return enqueue(
            cast(OutboxUnitOfWork, uow),
            Message(
                customer_id=message.customer_id,
                channel=message.channel,
                to=message.to,
                subject=message.subject,
                body=message.body,
                purpose=message.purpose,
                kind=message.kind,
                quotes=message.quotes,
            ),
            now,
            policy=policy,
            actor=actor,
        )
