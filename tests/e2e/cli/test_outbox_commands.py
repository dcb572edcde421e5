"""`clientkeep outbox list|deliver|retry` on a real installation configured through the
environment: one pass delivers to a real SMTP server on 127.0.0.1, a refusal becomes a dead
letter the administrator lists and retries, and an agent is refused. The group is invoked
as main.py registers it (``app.add_typer(outbox.app, name="outbox")``)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import typer
from typer.testing import CliRunner

from clientkeep import bootstrap
from clientkeep.adapters.cli import outbox as outbox_cli
from clientkeep.config import load_settings
from clientkeep.customers import services as customers
from clientkeep.outbox import services as outbox
from clientkeep.shared.actor import Actor
from tests.conftest import PASSWORD
from tests.integration.outbox._servers import SmtpHandler, smtp_server

BODY = "Your one-time code is 493817."


@pytest.fixture
def smtp(monkeypatch) -> Iterator[SmtpHandler]:
    with smtp_server() as (handler, port):
        monkeypatch.setenv("CLIENTKEEP_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CLIENTKEEP_SMTP_PORT", str(port))
        monkeypatch.setenv("CLIENTKEEP_SMTP_TLS", "none")
        monkeypatch.setenv("CLIENTKEEP_SMTP_FROM", "desk@example.org")
        yield handler


@pytest.fixture
def outbox_run(cli_env):
    combined = typer.Typer()
    combined.add_typer(outbox_cli.app, name="outbox")
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(combined, ["outbox", *args], catch_exceptions=False)

    return invoke


@pytest.fixture
def message_id(initialised, run) -> str:
    added = run(
        "user", "add", "sam", "--role", "supervisor", "--password-stdin", input=f"{PASSWORD}\n"
    )
    assert added.exit_code == 0, added.output
    c = bootstrap.build(load_settings())
    try:
        with c.uow().reading() as uow:
            sam = uow.staff.by_username("sam")
        assert sam is not None
        made = customers.register(
            customers.RegisterCustomer(
                purpose="service",
                fields={"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"},
                source="phone",
            ),
            uow=c.uow(),
            actor=Actor(id=sam.id, name="sam", role="supervisor"),
            policy=c.policy,
            clock=c.clock,
            duplicates=c.duplicate_finder,
        ).customer
        with c.uow() as uow:
            found = outbox.enqueue(
                uow,
                outbox.Message(made.id, "email", "ada@example.com", "Code", BODY, "service", "otp"),
                c.clock.now(),
                policy=c.policy,
            )
            uow.commit()
    finally:
        c.close()
    return found


def admin_name(run) -> str:
    listed = json.loads(run("user", "list", "--json").output)
    return next(u["username"] for u in listed if u["role"] == "admin")


def test_one_pass_delivers_by_smtp_and_the_list_shows_it_sent(
    message_id, smtp, run, outbox_run
) -> None:
    done = outbox_run("deliver", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.output) == {
        "sent": 1,
        "retrying": 0,
        "dead": 0,
        "outcome_unknown": 0,
        "channels": ["email"],
    }
    [got] = smtp.received
    assert got.recipients == ["ada@example.com"] and got.message.get_content().strip() == BODY

    listed = outbox_run("list", "--as", admin_name(run), "--json")
    assert listed.exit_code == 0, listed.output
    [item] = json.loads(listed.output)["items"]
    assert (item["id"], item["status"]) == (message_id, "sent")
    assert BODY not in listed.output and "ada@example.com" not in listed.output


def test_a_refused_message_is_a_dead_letter_the_administrator_retries(
    message_id, smtp, run, outbox_run, monkeypatch
) -> None:
    monkeypatch.setenv("CLIENTKEEP_OUTBOX_MAX_ATTEMPTS", "1")
    smtp.refuse = "550 mailbox unavailable"
    assert "1 failed (dead letter)" in outbox_run("deliver").output

    admin = admin_name(run)
    dead = outbox_run("list", "--as", admin, "--status", "dead")
    assert message_id in dead.output and "SMTP 550: mailbox unavailable" in dead.output

    retried = outbox_run("retry", message_id, "--as", admin)
    assert retried.exit_code == 0, retried.output
    smtp.refuse = None
    assert "1 sent" in outbox_run("deliver").output
    assert len(smtp.received) == 1
    # Sent now: there is nothing to retry.
    again = outbox_run("retry", message_id, "--as", admin)
    assert again.exit_code == 1 and "Only a failed" in again.output


def test_no_sender_configured_leaves_messages_waiting(message_id, outbox_run) -> None:
    done = outbox_run("deliver")
    assert done.exit_code == 0 and "no sender configured" in done.output
    assert "0 sent" in done.output


def test_an_agent_is_refused_and_bad_input_is_one_line(message_id, run, outbox_run) -> None:
    run("user", "add", "ann", "--role", "agent", "--password-stdin", input=f"{PASSWORD}\n")
    assert outbox_run("list", "--as", "ann").exit_code == 3
    assert outbox_run("retry", message_id, "--as", "ann").exit_code == 3
    bad = outbox_run("list", "--as", admin_name(run), "--status", "lost")
    assert bad.exit_code == 2 and "status:" in bad.output
    unknown = outbox_run("retry", "msg_" + "a" * 24, "--as", admin_name(run))
    assert unknown.exit_code == 4


def test_an_unknown_sender_stops_the_command_naming_the_variable(
    message_id, outbox_run, monkeypatch
) -> None:
    monkeypatch.setenv("CLIENTKEEP_EMAIL_SENDER", "pigeon")
    done = outbox_run("deliver")
    assert done.exit_code == 1 and "CLIENTKEEP_EMAIL_SENDER" in done.output
