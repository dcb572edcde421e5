"""Asking a customer for feedback: a short survey email to the address on their record.

A survey that only asks how a service the customer received went is a service message. One
that promotes anything (an offer, a product, "refer a friend") is direct marketing under
PECR and needs the customer's marketing consent: the wording is a plain-text template (the
renderer the composition root gives) that must stay plain. The email goes through the outbox
in the same unit as its audit event, under a purpose that uses the email field and feedback
(the policy's default purpose unless another is named), only to the address the record holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.services import load_customer
from clientkeep.feedback.model import RANGES, Scale
from clientkeep.feedback.ports import SurveyUnitOfWork
from clientkeep.feedback.recording import feedback_field
from clientkeep.interactions.vocabulary import Channel
from clientkeep.outbox.enqueue import enqueue
from clientkeep.outbox.model import Message
from clientkeep.policy.access import projection_for
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import Conflict, InvalidInput
from clientkeep.shared.uk_time import uk_date

SURVEY_KIND = "feedback_survey"
# How a contact is named in the email ("your phone call on 23 November 2026").
CONTACT_WORDS = {
    Channel.PHONE.value: "phone call",
    Channel.EMAIL.value: "email",
    Channel.IN_PERSON.value: "visit",
    Channel.WEB.value: "message through our website",
    Channel.LETTER.value: "letter",
    Channel.CHAT.value: "chat",
}


@dataclass(frozen=True, slots=True)
class AskForFeedback:
    # The contact the survey asks about; None: the service in general.
    interaction_id: str | None = None
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class SurveyContext:
    """Everything the survey's template may say: no value of the customer's record."""

    controller_name: str
    privacy_contact: str
    # "your phone call on 23 November 2026", or None for the service in general.
    about: str | None
    csat_low: int
    csat_high: int
    signed_by: str


@dataclass(frozen=True, slots=True)
class SurveyEmail:
    subject: str
    body: str = field(repr=False)


class SurveyRenderer(Protocol):
    def render(self, context: SurveyContext) -> SurveyEmail: ...


@dataclass(frozen=True, slots=True)
class QueuedSurvey:
    message_id: str
    purpose: str


class NoEmailOnRecord(Conflict):
    code = "no_email_on_record"

    def __init__(self) -> None:
        super().__init__("The record holds no email address to send a survey to.")


def _about(channel: str, occurred_at: datetime) -> str:
    day = uk_date(occurred_at)
    return f"your {CONTACT_WORDS.get(channel, 'contact')} with us on {day.day} {day:%B %Y}"


@records_denials("customer.feedback_requested", customer="customer_id")
def ask_for_feedback(
    customer_id: str,
    command: AskForFeedback,
    *,
    uow: SurveyUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    renderer: SurveyRenderer,
) -> QueuedSurvey:
    """Queue the survey email to the customer's address on record; audited naming the email
    field (the message's own ``outbox.queued`` event says so too)."""
    projection = projection_for(policy, actor.role, command.purpose or policy.default_purpose)
    uses = policy.purposes[projection.purpose].fields
    email_field = policy.field_roles.email
    if email_field not in uses or feedback_field(policy) not in uses:
        raise InvalidInput(
            [("purpose", f"The {projection.purpose} purpose does not use email and feedback.")]
        )
    now = clock.now()
    with uow:
        uow.customers.lock([customer_id])
        customer = load_customer(uow, customer_id)
        address = customer.value(email_field)
        if address is None:
            raise NoEmailOnRecord()
        about = None
        if command.interaction_id is not None:
            contact = uow.feedback.contact(command.interaction_id[:64])
            if contact is None or contact.customer_id != customer.id:
                raise InvalidInput([("interaction_id", "No such contact with this customer.")])
            about = _about(contact.channel, contact.occurred_at)
        low, high = RANGES[Scale.CSAT]
        email = renderer.render(
            SurveyContext(
                controller_name=policy.controller.name,
                privacy_contact=policy.controller.dpo_contact,
                about=about,
                csat_low=low,
                csat_high=high,
                signed_by=policy.controller.name,
            )
        )
        message_id = enqueue(
            uow,
            Message(
                customer_id=customer.id,
                channel="email",
                to=address,
                subject=email.subject,
                body=email.body,
                purpose=projection.purpose,
                kind=SURVEY_KIND,
            ),
            now,
            policy=policy,
            actor=actor,
        )
        uow.audit.append(
            entry_for(
                actor,
                "customer.feedback_requested",
                customer_id=customer.id,
                purpose=projection.purpose,
                fields=(email_field,),
                detail={"message": message_id, "interaction_id": command.interaction_id},
            )
        )
        uow.commit()
    return QueuedSurvey(message_id=message_id, purpose=projection.purpose)
