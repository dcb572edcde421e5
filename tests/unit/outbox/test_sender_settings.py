"""Senders are configured by environment; a value that cannot work stops start-up with a
message naming the variable."""

from __future__ import annotations

import pytest

from clientkeep.adapters.senders import senders_for
from clientkeep.adapters.senders.demo import DemoSender
from clientkeep.adapters.senders.sms import HttpSmsSender
from clientkeep.adapters.senders.smtp import SmtpSender
from clientkeep.config import ConfigError, load_settings
from clientkeep.outbox.model import Channel

SMTP = {
    "CLIENTKEEP_SMTP_HOST": "smtp.example.net",
    "CLIENTKEEP_SMTP_FROM": "desk@example.org",
}


def test_nothing_is_sent_unless_a_sender_is_configured() -> None:
    outbox = load_settings({}).outbox
    assert (outbox.email_sender, outbox.sms_sender, outbox.max_attempts) == ("none", "none", 5)
    assert senders_for(outbox) == {}


def test_smtp_settings_default_to_starttls_on_587_and_imply_the_smtp_sender() -> None:
    outbox = load_settings(SMTP).outbox
    assert outbox.email_sender == "smtp" and outbox.smtp is not None
    assert (outbox.smtp.tls, outbox.smtp.port) == ("starttls", 587)
    assert isinstance(senders_for(outbox)[Channel.EMAIL], SmtpSender)
    implicit = load_settings({**SMTP, "CLIENTKEEP_SMTP_TLS": "tls"}).outbox.smtp
    assert implicit is not None and implicit.port == 465


def test_the_smtp_password_is_never_in_the_settings_repr() -> None:
    env = {**SMTP, "CLIENTKEEP_SMTP_USERNAME": "desk", "CLIENTKEEP_SMTP_PASSWORD": "pw-7781"}
    assert "pw-7781" not in repr(load_settings(env))


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"CLIENTKEEP_EMAIL_SENDER": "carrier-pigeon"}, "CLIENTKEEP_EMAIL_SENDER"),
        ({"CLIENTKEEP_SMS_SENDER": "notify"}, "CLIENTKEEP_SMS_SENDER"),
        ({"CLIENTKEEP_EMAIL_SENDER": "smtp"}, "CLIENTKEEP_SMTP_HOST"),
        ({"CLIENTKEEP_SMTP_HOST": "smtp.example.net"}, "CLIENTKEEP_SMTP_FROM"),
        ({**SMTP, "CLIENTKEEP_SMTP_TLS": "maybe"}, "CLIENTKEEP_SMTP_TLS"),
        ({**SMTP, "CLIENTKEEP_SMTP_TLS": "none"}, "CLIENTKEEP_SMTP_TLS"),
        ({**SMTP, "CLIENTKEEP_SMTP_PORT": "70000"}, "CLIENTKEEP_SMTP_PORT"),
        ({**SMTP, "CLIENTKEEP_SMTP_USERNAME": "desk"}, "CLIENTKEEP_SMTP_USERNAME"),
        ({"CLIENTKEEP_SMS_URL": "http://sms.example.net/send"}, "CLIENTKEEP_SMS_URL"),
        ({"CLIENTKEEP_SMS_URL": "ftp://sms.example.net"}, "CLIENTKEEP_SMS_URL"),
        (
            {"CLIENTKEEP_SMS_URL": "https://x.example", "CLIENTKEEP_SMS_API_KEY_HEADER": "a b"},
            "CLIENTKEEP_SMS_API_KEY_HEADER",
        ),
        ({"CLIENTKEEP_OUTBOX_MAX_ATTEMPTS": "0"}, "CLIENTKEEP_OUTBOX_MAX_ATTEMPTS"),
    ],
)
def test_a_setting_that_cannot_work_is_refused_by_name(env, named) -> None:
    with pytest.raises(ConfigError, match=named):
        load_settings(env)


def test_plain_smtp_and_http_sms_are_allowed_to_this_machine_only() -> None:
    env = {
        "CLIENTKEEP_SMTP_HOST": "127.0.0.1",
        "CLIENTKEEP_SMTP_FROM": "desk@example.org",
        "CLIENTKEEP_SMTP_TLS": "none",
        "CLIENTKEEP_SMS_URL": "http://localhost:9000/send",
    }
    outbox = load_settings(env).outbox
    assert outbox.smtp is not None and (outbox.smtp.tls, outbox.smtp.port) == ("none", 25)
    senders = senders_for(outbox)
    assert isinstance(senders[Channel.SMS], HttpSmsSender)


def test_the_demo_senders_send_nothing_and_say_so() -> None:
    env = {"CLIENTKEEP_EMAIL_SENDER": "demo", "CLIENTKEEP_SMS_SENDER": "DEMO"}
    senders = senders_for(load_settings(env).outbox)
    assert all(isinstance(s, DemoSender) for s in senders.values()) and len(senders) == 2
