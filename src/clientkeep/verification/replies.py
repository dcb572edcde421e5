"""A written reply to a disclosure: a letter to print, or an email to the address on record,
holding exactly the details the disclosure told and nothing else of the record.

The wording is a template (the renderer the composition root gives, Jinja2 in the adapters);
what goes into it is decided here: the disclosure's logged fields, read again from the record
under the disclosure's purpose, for the member who made it while what it rested on still
holds. An email goes only to the email address the record holds, never to one a caller gives,
through the outbox in the same unit as its audit event.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers import values
from clientkeep.customers.services import load_customer
from clientkeep.policy.access import projection_for
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import Conflict, NotFound
from clientkeep.staff.directory import directory
from clientkeep.staff.ports import StaffRepository
from clientkeep.verification.disclosure import shown_again
from clientkeep.verification.disclosure_model import Channel, Disclosure
from clientkeep.verification.ports import CodeMessage, CodeMessenger, DisclosureUnitOfWork
from clientkeep.verification.services import require_verified

REPLY_KIND = "disclosure_reply"


class ReplyForm(StrEnum):
    LETTER = "letter"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class ReplyContext:
    """Everything a reply's template may say: the controller's own details, who it is for
    (the disclosure's recipient, in staff's words), the details told and who signs it."""

    controller_name: str
    controller_address: str
    privacy_contact: str
    recipient: str
    dated: datetime
    disclosure_id: str
    # (label, value as the record displays it), in the order the disclosure told them.
    details: tuple[tuple[str, str], ...] = field(repr=False)
    signed_by: str


@dataclass(frozen=True, slots=True)
class Reply:
    subject: str
    body: str = field(repr=False)


class ReplyRenderer(Protocol):
    def render(self, form: ReplyForm, context: ReplyContext) -> Reply: ...


@dataclass(frozen=True, slots=True)
class ReplyTools:
    """What replies need from the composition root: the templates and the way to the outbox."""

    renderer: ReplyRenderer
    messenger: CodeMessenger


class _RepliesUnitOfWork(DisclosureUnitOfWork, Protocol):
    staff: StaffRepository


@dataclass(frozen=True, slots=True)
class QueuedReply:
    message_id: str
    disclosure_id: str


class NoEmailOnRecord(Conflict):
    code = "no_email_on_record"

    def __init__(self) -> None:
        super().__init__("The record holds no email address: print the letter instead.")


class NotTheCustomer(Conflict):
    code = "reply_not_to_the_customer"

    def __init__(self) -> None:
        super().__init__(
            "This disclosure was not to the verified customer, so it is not emailed to their "
            "address: print the letter and send it to the recipient."
        )


def _context(
    policy: Policy,
    disclosure_id: str,
    told: dict[str, str],
    *,
    recipient: str,
    signed_by: str,
    now: datetime,
) -> ReplyContext:
    labels = {n: f.label for n, f in policy.fields.items()}
    return ReplyContext(
        controller_name=policy.controller.name,
        controller_address=policy.controller.address,
        privacy_contact=policy.controller.dpo_contact,
        recipient=recipient,
        dated=now,
        disclosure_id=disclosure_id,
        details=tuple((labels.get(n, n), v) for n, v in told.items()),
        signed_by=signed_by,
    )


def _own_disclosure(
    uow: DisclosureUnitOfWork, customer_id: str, disclosure_id: str, actor: Actor
) -> Disclosure:
    found = uow.disclosures.get(disclosure_id)
    if found is None or found.customer_id != customer_id or found.staff_id != actor.id:
        raise NotFound("No such disclosure of yours for this customer.")
    return found


def letter(
    customer_id: str,
    disclosure_id: str,
    *,
    uow: _RepliesUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    renderer: ReplyRenderer,
) -> Reply:
    """The letter for one disclosure: its values read again (an audited read, by the rules of
    ``shown_again``), addressed to its recipient, for printing."""
    told = shown_again(customer_id, disclosure_id, uow=uow, actor=actor, policy=policy, clock=clock)
    with uow:
        found = _own_disclosure(uow, customer_id, disclosure_id, actor)
        signed_by = directory(uow.staff).label(actor.id)
    context = _context(
        policy,
        disclosure_id,
        told.values,
        recipient=found.recipient,
        signed_by=signed_by,
        now=clock.now(),
    )
    return renderer.render(ReplyForm.LETTER, context)


def may_email(
    customer_id: str, disclosure_id: str, *, uow: DisclosureUnitOfWork, actor: Actor
) -> bool:
    """Whether ``email_reply`` would take this disclosure as to the customer by email (a
    screen deciding what to offer; the use case checks again, with the check's expiry)."""
    with uow:
        found = _own_disclosure(uow, customer_id, disclosure_id, actor)
        if found.channel is not Channel.EMAIL or found.verification_id is None:
            return False
        proof = uow.verifications.get(found.verification_id)
    return proof is not None and proof.representative_id is None


@records_denials("customer.reply_queued", customer="customer_id")
def email_reply(
    customer_id: str,
    disclosure_id: str,
    *,
    uow: _RepliesUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    tools: ReplyTools,
) -> QueuedReply:
    """Email what one disclosure told to the address on the customer's record. Only for a
    disclosure by email to the verified customer themselves, by the member who made it, while
    the check lasts; the message and its audit event are written in one unit."""
    now = clock.now()
    with uow:
        uow.customers.lock([customer_id])
        found = _own_disclosure(uow, customer_id, disclosure_id, actor)
        if found.channel is not Channel.EMAIL:
            raise Conflict("This disclosure was not made by email: print the letter instead.")
        if found.verification_id is None:
            raise NotTheCustomer()
        proof = require_verified(
            uow,
            found.verification_id,
            customer_id=customer_id,
            actor=actor,
            now=now,
            fields=found.fields,
            action="disclose",
        )
        if proof.representative_id is not None:
            raise NotTheCustomer()
        customer = load_customer(uow, customer_id)
        projection = projection_for(policy, actor.role, found.purpose)
        names = tuple(n for n in found.fields if projection.shows(n) and n in customer.fields)
        email_field = policy.field_roles.email
        if email_field not in customer.fields:
            raise NoEmailOnRecord()
        told = {n: values.display(policy.fields[n], customer.fields[n].value) for n in names}
        reply = tools.renderer.render(
            ReplyForm.EMAIL,
            _context(
                policy,
                found.id,
                told,
                recipient=found.recipient,
                signed_by=directory(uow.staff).label(actor.id),
                now=now,
            ),
        )
        message_id = tools.messenger.send(
            uow,
            CodeMessage(
                customer_id=customer_id,
                channel="email",
                to=customer.fields[email_field].value,
                subject=reply.subject,
                body=reply.body,
                purpose=found.purpose,
                kind=REPLY_KIND,
                quotes=frozenset(names),
            ),
            now,
            policy=policy,
            actor=actor,
        )
        uow.audit.append(
            entry_for(
                actor,
                "customer.reply_queued",
                customer_id=customer_id,
                purpose=found.purpose,
                fields=tuple(sorted(set(names) | {email_field})),
                detail={"disclosure_id": found.id, "message": message_id},
            )
        )
        uow.commit()
    return QueuedReply(message_id=message_id, disclosure_id=found.id)
