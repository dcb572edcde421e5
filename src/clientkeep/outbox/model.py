"""Messages to customers and their way through the outbox.

A message is written in the same transaction as the work that needs it (a one-time code, a
letter of what was disclosed), sealed under its customer's key, and delivered after commit
by a sender. Its states:

    waiting --claimed--> sending --> sent
       ^                    |
       |                    +--> waiting (retry scheduled)  or  dead (given up)
       +----- retried by an administrator ----- dead

A message left "sending" past its lease (the worker stopped mid-send) may or may not have
gone: it is never resent on its own, but dead-lettered as "outcome unknown" for a person to
check and retry.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from clientkeep.policy.model import Policy

# Who may see the outbox and retry its dead letters: the role that runs the system. The
# policy's vocabulary has no outbox capability of its own yet; keys.manage is the one held by
# whoever runs the installation (the admin role), and is named once, here.
MANAGE_OUTBOX = "keys.manage"

# What a message left "sending" past its lease is told as: it may have gone, so only a person
# who has checked with the provider may send it again.
OUTCOME_UNKNOWN = (
    "outcome unknown: the sender stopped while sending; check with the provider that it did "
    "not arrive before retrying"
)


def outbox_id(prefix: str) -> str:
    """An opaque id shaped like ``shared.ids.new_id``'s: "msg" for a message, "wrk" for one
    pass of a worker. Made here because those two prefixes are the outbox's own."""
    body = base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()
    return f"{prefix}_{body}"


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class Status(StrEnum):
    WAITING = "waiting"
    SENDING = "sending"
    SENT = "sent"
    DEAD = "dead"


def recipient_field(policy: Policy, channel: Channel) -> str:
    """The customer's field a message on ``channel`` is addressed from."""
    parts = policy.field_roles
    return parts.email if channel is Channel.EMAIL else parts.phone


@dataclass(frozen=True, slots=True)
class Message:
    """What a capability asks to send. ``quotes`` names the customer's fields the subject
    and body carry (a name in a greeting, say), so a read shows them only where the purpose
    shows those fields, and the access pack and erasure know what they hold."""

    customer_id: str
    channel: str
    to: str
    subject: str
    body: str
    purpose: str
    kind: str
    quotes: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Envelope:
    """A stored message without its sealed content: what the outbox page lists."""

    id: str
    customer_id: str
    channel: Channel
    kind: str
    purpose: str
    # The customer's field the recipient is (email or phone), and those the text quotes.
    to_field: str
    quotes: frozenset[str]
    status: Status
    attempts: int
    created_at: datetime
    updated_at: datetime
    next_attempt_at: datetime | None = None
    lease_until: datetime | None = None
    sent_at: datetime | None = None
    provider_id: str | None = None
    last_error: str | None = None

    @property
    def fields(self) -> frozenset[str]:
        """Every field of the customer's the message holds."""
        return self.quotes | {self.to_field}


@dataclass(frozen=True, slots=True)
class Content:
    """A message's sealed parts, opened."""

    to: str
    subject: str
    body: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class Outgoing:
    """What a sender is handed: one message, opened, to deliver."""

    id: str
    channel: Channel
    to: str
    subject: str
    body: str = field(repr=False)


class DeliveryFailed(Exception):
    """A sender could not deliver. ``reason`` is safe to store and show: it never holds the
    body (senders say what went wrong in their own words, and the outbox redacts the
    message's own parts from it besides)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class DeliveryRules:
    """How hard the outbox tries: attempts before a dead letter, the back-off between them,
    and how long a worker holds a message while it sends."""

    max_attempts: int = 5
    first_delay: timedelta = timedelta(seconds=30)
    longest_delay: timedelta = timedelta(hours=1)
    lease: timedelta = timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one pass of the sender did."""

    sent: int = 0
    retrying: int = 0
    dead: int = 0
    outcome_unknown: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.dead


@dataclass(frozen=True, slots=True)
class Listed:
    """One message as the outbox page shows it: the envelope and who it is to."""

    envelope: Envelope
    # The customer's display name where the reader's role and purpose show names; their id
    # otherwise.
    customer: str


@dataclass(frozen=True, slots=True)
class OutboxPage:
    messages: tuple[Listed, ...]
    # The cursor of the next (older) page, or None on the last.
    next_cursor: str | None
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class MessageView:
    """A message read under a purpose: each part only where the projection shows what it
    holds (the recipient: the channel's field; subject and body: every field they quote)."""

    envelope: Envelope
    customer: str
    purpose: str
    to: str | None
    subject: str | None
    body: str | None = field(repr=False)
    fields_shown: tuple[str, ...] = ()
