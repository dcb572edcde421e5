"""The HTTP SMS adapter posts JSON with the key in a header and takes the provider's id;
a refusal or an unreachable provider is a failure that quotes neither number nor text."""

from __future__ import annotations

import json

import httpx
import pytest

from clientkeep.adapters.senders.sms import UNREPORTED, HttpSmsSender
from clientkeep.config import SmsSettings
from clientkeep.outbox.model import Channel, DeliveryFailed, Outgoing

MESSAGE = Outgoing(id="msg_1", channel=Channel.SMS, to="+447700900123", subject="", body="Hi 42")


def sender(handler, **settings) -> HttpSmsSender:
    values = {"url": "https://sms.example.net/send", **settings}
    return HttpSmsSender(SmsSettings(**values), transport=httpx.MockTransport(handler))


def test_the_message_is_posted_as_json_with_the_key_in_the_chosen_header() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"message_id": 7})

    got = sender(handler, api_key="s3cret", api_key_header="X-Api-Key").send(MESSAGE)

    assert got == "7"
    [request] = seen
    assert request.headers["x-api-key"] == "s3cret" and "authorization" not in request.headers
    assert json.loads(request.content) == {
        "to": "+447700900123",
        "body": "Hi 42",
        "reference": "msg_1",
    }


@pytest.mark.parametrize("status", [400, 429, 500])
def test_a_refusal_names_the_status_only(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text="number +447700900123 said Hi 42")

    with pytest.raises(DeliveryFailed) as failed:
        sender(handler).send(MESSAGE)
    assert failed.value.reason == f"SMS provider answered {status}"


def test_an_unreachable_provider_is_a_failure_by_the_error_type() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(DeliveryFailed) as failed:
        sender(handler).send(MESSAGE)
    assert failed.value.reason == "SMS provider unreachable (ConnectError)"


def test_an_accepted_message_without_an_id_counts_as_sent_not_failed() -> None:
    # Calling it a failure would send it a second time.
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(202, text="queued")

    assert sender(handler).send(MESSAGE) == UNREPORTED
