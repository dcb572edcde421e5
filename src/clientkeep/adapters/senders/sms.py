"""SMS through a provider's HTTP API, behind one interface.

``HttpSmsSender`` posts JSON (``to``, ``from``, ``body``, ``reference``) to the configured
URL with the API key in a header, and takes the provider's id from the answer's ``id`` (or
``message_id``). GOV.UK Notify's client library is not used: it brings a second HTTP stack
(requests) and sends only templates made in Notify's own console; a Notify adapter would
be one more class here keeping to ``SmsSender``.
"""

from __future__ import annotations

from typing import Protocol

import httpx

from clientkeep.config import SmsSettings
from clientkeep.outbox.model import DeliveryFailed, Outgoing

UNREPORTED = "accepted; the provider gave no id"


class SmsSender(Protocol):
    """Sends one SMS and answers the provider's id; raises ``DeliveryFailed``."""

    def send(self, message: Outgoing) -> str: ...


class HttpSmsSender:
    def __init__(self, settings: SmsSettings, transport: httpx.BaseTransport | None = None) -> None:
        self._settings = settings
        self._transport = transport

    def _headers(self) -> dict[str, str]:
        s = self._settings
        if s.api_key is None:
            return {}
        if s.api_key_header.lower() == "authorization":
            return {"Authorization": f"Bearer {s.api_key}"}
        return {s.api_key_header: s.api_key}

    def send(self, message: Outgoing) -> str:
        s = self._settings
        payload = {"to": message.to, "body": message.body, "reference": message.id}
        if s.from_name is not None:
            payload["from"] = s.from_name
        try:
            with httpx.Client(
                transport=self._transport, timeout=s.timeout_seconds, follow_redirects=False
            ) as client:
                answer = client.post(s.url, json=payload, headers=self._headers())
        except httpx.HTTPError as failure:
            raise DeliveryFailed(f"SMS provider unreachable ({type(failure).__name__})") from None
        if not answer.is_success:
            # The provider's text may quote the number or the message: its status only.
            raise DeliveryFailed(f"SMS provider answered {answer.status_code}")
        try:
            found = answer.json()
        except ValueError:
            found = None
        provider_id = None
        if isinstance(found, dict):
            provider_id = found.get("id") or found.get("message_id")
        if not isinstance(provider_id, str | int) or isinstance(provider_id, bool):
            # Accepted all the same: calling it a failure would send the message again.
            return UNREPORTED
        return str(provider_id)
