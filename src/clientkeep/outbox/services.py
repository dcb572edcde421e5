"""The outbox's use cases, for the edges and for the capabilities that send messages."""

from __future__ import annotations

from clientkeep.outbox.admin import list_messages, message_envelope, parse_status, retry_message
from clientkeep.outbox.delivery import deliver_due, run_sender
from clientkeep.outbox.enqueue import enqueue
from clientkeep.outbox.kinds import OUTBOX_MESSAGE, OutboxMessages, outbox_record_kinds
from clientkeep.outbox.model import (
    MANAGE_OUTBOX,
    Channel,
    DeliveryFailed,
    DeliveryReport,
    DeliveryRules,
    Message,
    MessageView,
    OutboxPage,
    Status,
)
from clientkeep.outbox.reading import customer_messages, read_message

__all__ = [
    "MANAGE_OUTBOX",
    "OUTBOX_MESSAGE",
    "Channel",
    "DeliveryFailed",
    "DeliveryReport",
    "DeliveryRules",
    "Message",
    "MessageView",
    "OutboxMessages",
    "OutboxPage",
    "Status",
    "customer_messages",
    "deliver_due",
    "enqueue",
    "list_messages",
    "message_envelope",
    "outbox_record_kinds",
    "parse_status",
    "read_message",
    "retry_message",
    "run_sender",
]
