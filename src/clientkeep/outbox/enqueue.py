"""Putting a message in the outbox, inside the caller's transaction.

The capability that needs a message (verifying a caller, a letter of what was disclosed)
calls ``enqueue`` in its own unit of work and commits it with its own work: the message
exists exactly when that work does. Nothing is sent here; the sender delivers after commit.
"""

from __future__ import annotations

import re
from datetime import datetime

from clientkeep.audit.model import entry_for
from clientkeep.outbox.model import Channel, Message, outbox_id, recipient_field
from clientkeep.outbox.ports import OutboxUnitOfWork
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import SYSTEM, Actor
from clientkeep.shared.errors import InvalidInput

SUBJECT_MAX = 200
BODY_MAX = 20_000
SMS_MAX = 918  # six concatenated GSM-7 parts: past that, providers refuse or truncate
KIND_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,31}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_E164 = re.compile(r"\+[1-9][0-9]{7,14}")


def enqueue(
    uow: OutboxUnitOfWork,
    message: Message,
    now: datetime,
    *,
    policy: Policy,
    actor: Actor = SYSTEM,
) -> str:
    """Write ``message`` in the caller's open unit (the caller commits) and answer its id.

    A message is always about a customer and sealed under their key: a notice to staff holds
    no customer's data and does not belong here. The purpose must be one that uses the
    recipient's field and every field the text quotes; the body is never logged.
    """
    channel = _checked(message, policy)
    to_field = recipient_field(policy, channel)
    fields = message.quotes | {to_field}
    if not uow.outbox.customer_is_live(message.customer_id):
        raise InvalidInput([("customer_id", "No such customer, or merged into another.")])
    message_id = outbox_id("msg")
    uow.outbox.add(message_id, message, to_field, now)
    uow.audit.append(
        entry_for(
            actor,
            "outbox.queued",
            customer_id=message.customer_id,
            purpose=message.purpose,
            fields=tuple(sorted(fields)),
            detail={"message": message_id, "channel": channel.value, "kind": message.kind},
        )
    )
    return message_id


def _checked(message: Message, policy: Policy) -> Channel:
    problems: list[tuple[str, str]] = []
    try:
        channel = Channel(message.channel)
    except ValueError:
        raise InvalidInput([("channel", "Must be email or sms.")]) from None
    if message.purpose not in policy.purposes:
        problems.append(("purpose", "Not a purpose the policy declares."))
    else:
        uses = policy.purposes[message.purpose].fields
        needed = {recipient_field(policy, channel)} | set(message.quotes)
        if not needed <= uses:
            problems.append(
                ("purpose", "The purpose does not use the recipient or the fields quoted.")
            )
    if not message.quotes <= set(policy.fields):
        problems.append(("quotes", "Names a field the policy does not declare."))
    if not KIND_PATTERN.fullmatch(message.kind):
        problems.append(("kind", "Lower-case letters, digits and _ (at most 32)."))
    pattern = _EMAIL if channel is Channel.EMAIL else _E164
    if not pattern.fullmatch(message.to):
        wanted = "an email address" if channel is Channel.EMAIL else "a number in E.164 form"
        problems.append(("to", f"Must be {wanted}."))
    if channel is Channel.EMAIL and not message.subject.strip():
        problems.append(("subject", "An email needs a subject."))
    if len(message.subject) > SUBJECT_MAX or "\n" in message.subject or "\r" in message.subject:
        problems.append(("subject", f"One line of at most {SUBJECT_MAX} characters."))
    longest = SMS_MAX if channel is Channel.SMS else BODY_MAX
    if not message.body.strip() or len(message.body) > longest:
        problems.append(("body", f"Must hold text, at most {longest} characters."))
    if problems:
        raise InvalidInput(problems)
    return channel
