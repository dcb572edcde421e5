"""Email by SMTP with the standard library: STARTTLS, implicit TLS, or plain to this machine.

Certificates are checked against the system's trust store (``ssl.create_default_context``).
A failure is described by the SMTP reply code and the kind of error; the server's own words
are kept only after the outbox has taken the message's parts out of them.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import make_msgid

from clientkeep.config import SmtpSettings
from clientkeep.outbox.model import DeliveryFailed, Outgoing


class SmtpSender:
    def __init__(self, settings: SmtpSettings, context: ssl.SSLContext | None = None) -> None:
        self._settings = settings
        self._context = context or ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        s = self._settings
        if s.tls == "tls":
            return smtplib.SMTP_SSL(
                s.host, s.port, timeout=s.timeout_seconds, context=self._context
            )
        client = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
        if s.tls == "starttls":
            client.starttls(context=self._context)
        return client

    def send(self, message: Outgoing) -> str:
        s = self._settings
        email = EmailMessage()
        email["From"] = s.from_address
        email["To"] = message.to
        email["Subject"] = message.subject
        domain = s.from_address.rsplit("@", 1)[-1]
        # The Message-ID is what the provider's logs and bounces know the message by.
        message_id = make_msgid(idstring=message.id, domain=domain)
        email["Message-ID"] = message_id
        email.set_content(message.body)
        accepted = False
        try:
            client = self._connect()
            try:
                if s.username is not None and s.password is not None:
                    client.login(s.username, s.password)
                refused = client.send_message(email)
                accepted = not refused
            finally:
                _close(client)
        except smtplib.SMTPRecipientsRefused as failure:
            codes = sorted({code for code, _ in failure.recipients.values()})
            raise DeliveryFailed(
                f"SMTP: recipient refused ({', '.join(map(str, codes))})"
            ) from None
        except smtplib.SMTPResponseException as failure:
            raw = failure.smtp_error
            said = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
            raise DeliveryFailed(f"SMTP {failure.smtp_code}: {said}") from None
        except (smtplib.SMTPException, OSError) as failure:
            raise DeliveryFailed(f"SMTP: {type(failure).__name__}") from None
        if not accepted:
            raise DeliveryFailed("SMTP: recipient refused")
        return message_id


def _close(client: smtplib.SMTP) -> None:
    # Once the server has accepted the message, a failure to say goodbye must not make it
    # look unsent: that would send it again.
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
