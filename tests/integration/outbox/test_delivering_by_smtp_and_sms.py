"""Messages leave only after commit, through real servers on 127.0.0.1: email to an aiosmtpd
server, SMS to a local HTTP provider stub. Each send is marked with the provider's id and
recorded in the audit trail."""

from __future__ import annotations

from clientkeep.adapters.senders.demo import DemoSender
from clientkeep.adapters.senders.sms import HttpSmsSender
from clientkeep.config import SmsSettings
from clientkeep.outbox.model import Status
from tests.integration.outbox.conftest import ADA, BODY, EMAIL, SMS, Recording, envelope
from tests.integration.record_kinds._storage import audit_events


def test_an_email_arrives_with_its_recipient_subject_and_body(
    container, customer_id, enqueue, deliver, smtp, smtp_sender
) -> None:
    handler, _ = smtp
    message_id = enqueue(customer_id, subject="Your code for Example Ltd")

    report = deliver({EMAIL: smtp_sender})

    assert report.sent == 1
    [got] = handler.received
    assert got.recipients == [ADA["email"]]
    assert got.message["To"] == ADA["email"]
    assert got.message["Subject"] == "Your code for Example Ltd"
    assert got.message.get_content().strip() == BODY
    stored = envelope(container, message_id)
    assert stored.status is Status.SENT
    assert stored.provider_id == got.message["Message-ID"]
    assert stored.sent_at == container.clock.now()
    [sent] = audit_events(container, "outbox.sent", customer_id)
    assert sent.entry.actor_id == "system"
    assert sent.entry.detail["message"] == message_id
    assert set(sent.entry.fields) == {"email"}
    assert audit_events(container, "outbox.queued", customer_id)


def test_a_message_written_in_a_transaction_that_rolls_back_is_never_sent(
    container, customer_id, deliver
) -> None:
    from clientkeep.outbox import services as outbox

    with container.uow() as uow:
        outbox.enqueue(
            uow,
            outbox.Message(customer_id, "email", ADA["email"], "Code", BODY, "service", "code"),
            container.clock.now(),
            policy=container.policy,
        )
        # No commit: the work that needed the message failed.
    recorder = Recording()
    assert deliver({EMAIL: recorder}).sent == 0
    assert recorder.sent == []


def test_an_sms_goes_to_the_provider_with_the_key_in_its_header(
    container, customer_id, enqueue, deliver, sms
) -> None:
    sms.answer = {"id": "prov-42"}
    sender = HttpSmsSender(SmsSettings(url=sms.url, from_name="ExampleLtd", api_key="k-123"))
    message_id = enqueue(customer_id, channel="sms", to="+442079460018", subject="")

    assert deliver({SMS: sender}).sent == 1

    [(headers, body)] = sms.posts
    assert headers["authorization"] == "Bearer k-123"
    assert body == {
        "to": "+442079460018",
        "body": BODY,
        "reference": message_id,
        "from": "ExampleLtd",
    }
    assert envelope(container, message_id).provider_id == "prov-42"


def test_a_provider_refusing_an_sms_schedules_a_retry(
    container, customer_id, enqueue, deliver, sms
) -> None:
    sms.status = 503
    message_id = enqueue(customer_id, channel="sms", to="+442079460018", subject="")

    report = deliver({SMS: HttpSmsSender(SmsSettings(url=sms.url))})

    assert (report.sent, report.retrying) == (0, 1)
    stored = envelope(container, message_id)
    assert stored.status is Status.WAITING
    assert stored.last_error == "SMS provider answered 503"
    assert stored.next_attempt_at > container.clock.now()


def test_the_demo_sender_marks_messages_delivered_and_sends_nothing(
    container, customer_id, enqueue, deliver, smtp
) -> None:
    handler, _ = smtp
    message_id = enqueue(customer_id)

    assert deliver({EMAIL: DemoSender()}).sent == 1

    assert handler.received == []
    stored = envelope(container, message_id)
    assert stored.status is Status.SENT
    assert stored.provider_id == f"demo:{message_id}"


def test_a_channel_without_a_sender_keeps_its_messages_waiting(
    container, customer_id, enqueue, deliver
) -> None:
    sms_id = enqueue(customer_id, channel="sms", to="+442079460018", subject="")
    email_id = enqueue(customer_id)
    recorder = Recording()

    assert deliver({EMAIL: recorder}).sent == 1

    assert [m.id for m in recorder.sent] == [email_id]
    assert envelope(container, sms_id).status is Status.WAITING
    assert deliver({}).handled == 0
