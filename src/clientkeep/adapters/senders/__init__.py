"""Senders that deliver the outbox's messages: SMTP for email, an HTTP provider for SMS,
and a demo sender that sends nothing. ``senders_for`` builds those the settings choose."""

from __future__ import annotations

from clientkeep.config import OutboxSettings
from clientkeep.outbox.model import Channel, DeliveryRules
from clientkeep.outbox.ports import Sender


def senders_for(settings: OutboxSettings) -> dict[Channel, Sender]:
    """One sender per channel the settings give one; a channel left "none" has none, so its
    messages wait (and show as waiting) until one is configured."""
    from clientkeep.adapters.senders.demo import DemoSender
    from clientkeep.adapters.senders.sms import HttpSmsSender
    from clientkeep.adapters.senders.smtp import SmtpSender

    found: dict[Channel, Sender] = {}
    if settings.email_sender == "demo":
        found[Channel.EMAIL] = DemoSender()
    elif settings.email_sender == "smtp" and settings.smtp is not None:
        found[Channel.EMAIL] = SmtpSender(settings.smtp)
    if settings.sms_sender == "demo":
        found[Channel.SMS] = DemoSender()
    elif settings.sms_sender == "http" and settings.sms is not None:
        found[Channel.SMS] = HttpSmsSender(settings.sms)
    return found


def delivery_rules(settings: OutboxSettings) -> DeliveryRules:
    """How hard to try, from the settings (the back-off's delays are the outbox's own)."""
    return DeliveryRules(max_attempts=settings.max_attempts)
