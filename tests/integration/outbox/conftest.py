"""Fixtures for the outbox on real storage: a customer to write to, messages put in the
outbox the way a capability will (inside its own unit, then committed), and passes of the
sender."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest

from clientkeep.adapters.senders.smtp import SmtpSender
from clientkeep.config import SmtpSettings
from clientkeep.customers import services as customers
from clientkeep.outbox import services as outbox
from clientkeep.outbox.model import Channel, Outgoing
from clientkeep.shared.record_kinds import RecordKinds
from tests.integration.outbox._servers import SmsStub, SmtpHandler, sms_stub, smtp_server

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada.lovelace@example.com",
    "phone": "020 7946 0018",
    "postcode": "SW1A 1AA",
}
BODY = "Your one-time code is 493817. It works for ten minutes."


@pytest.fixture
def register(container, personas) -> Callable[..., str]:
    def _register(fields: dict[str, str] | None = None) -> str:
        return customers.register(
            customers.RegisterCustomer(
                purpose="service", fields=dict(fields or ADA), source="phone"
            ),
            uow=container.uow(),
            actor=personas.supervisor.actor,
            policy=container.policy,
            clock=container.clock,
            duplicates=container.duplicate_finder,
        ).customer.id

    return _register


@pytest.fixture
def customer_id(register) -> str:
    return register()


@pytest.fixture
def enqueue(container) -> Callable[..., str]:
    def _enqueue(customer_id: str, **changes: object) -> str:
        values: dict[str, object] = {
            "customer_id": customer_id,
            "channel": "email",
            "to": ADA["email"],
            "subject": "Your code",
            "body": BODY,
            "purpose": "service",
            "kind": "one_time_code",
        }
        values.update(changes)
        with container.uow() as uow:
            message_id = outbox.enqueue(
                uow, outbox.Message(**values), container.clock.now(), policy=container.policy
            )
            uow.commit()
        return message_id

    return _enqueue


@pytest.fixture
def smtp() -> Iterator[tuple[SmtpHandler, int]]:
    with smtp_server() as running:
        yield running


@pytest.fixture
def smtp_sender(smtp) -> SmtpSender:
    _, port = smtp
    return SmtpSender(
        SmtpSettings(host="127.0.0.1", port=port, tls="none", from_address="desk@example.org")
    )


@pytest.fixture
def sms() -> Iterator[SmsStub]:
    with sms_stub() as stub:
        yield stub


class Recording:
    """A sender that keeps what it was handed and answers an id of its own."""

    def __init__(self) -> None:
        self.sent: list[Outgoing] = []

    def send(self, message: Outgoing) -> str:
        self.sent.append(message)
        return f"rec-{len(self.sent)}"


@pytest.fixture
def deliver(container) -> Callable[..., outbox.DeliveryReport]:
    def _deliver(senders, *, max_attempts: int = 5, limit: int = 50) -> outbox.DeliveryReport:
        return outbox.deliver_due(
            container.uow,
            senders,
            container.clock,
            limit,
            rules=outbox.DeliveryRules(max_attempts=max_attempts, lease=timedelta(minutes=5)),
            jitter=lambda: 0.5,  # the middle of the jitter: the delay is the base delay
        )

    return _deliver


def envelope(container, message_id: str):
    with container.uow().reading() as uow:
        return uow.outbox.get(message_id)


def kinds(container) -> RecordKinds:
    """The customer kinds and the outbox's, as the composition root will register them."""
    return RecordKinds(
        (*customers.customer_record_kinds(container.policy), *outbox.outbox_record_kinds())
    )


EMAIL = Channel.EMAIL
SMS = Channel.SMS
