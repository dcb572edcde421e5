"""Email leaves over TLS: STARTTLS (the server requires it before anything is sent) and
implicit TLS, each to an aiosmtpd server on 127.0.0.1 with a certificate made for the test,
which the sender checks. A server whose certificate the sender does not trust is a failure,
and nothing is sent to it."""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from clientkeep.adapters.senders.smtp import SmtpSender
from clientkeep.config import SmtpSettings
from clientkeep.outbox.model import Channel, DeliveryFailed, Outgoing
from tests.integration.outbox._servers import SmtpHandler, free_port

MESSAGE = Outgoing(
    id="msg_tls", channel=Channel.EMAIL, to="ada@example.com", subject="Code", body="493817"
)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    return context


def trusting(certificate) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate[0]))


@pytest.fixture
def starttls_server(certificate) -> Iterator[tuple[SmtpHandler, int]]:
    handler, port = SmtpHandler(), free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        tls_context=server_context(certificate),
        require_starttls=True,
    )
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def implicit_tls_server(certificate) -> Iterator[tuple[SmtpHandler, int]]:
    handler, port = SmtpHandler(), free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, ssl_context=server_context(certificate)
    )
    controller.start()
    yield handler, port
    controller.stop()


def sender(port: int, tls: str, context: ssl.SSLContext) -> SmtpSender:
    settings = SmtpSettings(host="127.0.0.1", port=port, tls=tls, from_address="desk@example.org")
    return SmtpSender(settings, context=context)


def test_starttls_delivers_to_a_server_that_requires_it(starttls_server, certificate) -> None:
    handler, port = starttls_server
    assert sender(port, "starttls", trusting(certificate)).send(MESSAGE).startswith("<")
    [got] = handler.received
    assert got.recipients == ["ada@example.com"]


def test_implicit_tls_delivers(implicit_tls_server, certificate) -> None:
    handler, port = implicit_tls_server
    sender(port, "tls", trusting(certificate)).send(MESSAGE)
    assert [r.recipients for r in handler.received] == [["ada@example.com"]]


def test_a_certificate_the_sender_does_not_trust_sends_nothing(starttls_server) -> None:
    handler, port = starttls_server
    with pytest.raises(DeliveryFailed) as failed:
        sender(port, "starttls", ssl.create_default_context()).send(MESSAGE)
    assert failed.value.reason == "SMTP: SSLCertVerificationError"
    assert handler.received == []


def test_a_server_that_requires_starttls_refuses_plain_mail(starttls_server) -> None:
    handler, port = starttls_server
    with pytest.raises(DeliveryFailed) as failed:
        sender(port, "none", ssl.create_default_context()).send(MESSAGE)
    assert failed.value.reason.startswith("SMTP 530")
    assert handler.received == []
