"""`clientkeep verify send-code` sends a one-time code to the contact details on record and
shows neither the code nor the address; `verify check --code` passes once with it (exit 0)
and fails after (exit 1 with the attempts left); a channel with nothing on record and a code
that is not six digits are refused in one line, exit 2-style non-zero."""

from __future__ import annotations

import json
import re

import pytest

from clientkeep import bootstrap
from clientkeep.adapters.cli.verify import CHANNELS
from clientkeep.config import load_settings
from clientkeep.policy.loader import load_policy
from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff

CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def ada(run, initialised) -> str:
    add_staff(run)
    return add_customer(run, ADA)["id"]


def code_sent_to(customer_id: str) -> str:
    """The code, read from the sealed message in the outbox as a sender would."""
    container = bootstrap.build(load_settings())
    try:
        with container.uow().reading() as uow:
            [(_, content)] = uow.outbox.opened_for_customer(customer_id)[-1:]
    finally:
        container.close()
    return CODE.search(content.body).group(1)


def test_send_then_check_passes_once(run, ada) -> None:
    sent = run("verify", "send-code", ada, "--as", "ann", "--channel", "email", "--json")
    assert sent.exit_code == 0, sent.output
    body = json.loads(sent.stdout)
    assert body["sent"] is True and body["channel"] == "email" and "expires_at" in body
    code = code_sent_to(ada)
    assert code not in sent.output and "Lovelace@" not in sent.output

    done = run("verify", "check", ada, "--as", "ann", "--code", code, "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["verified"] is True

    again = run("verify", "check", ada, "--as", "ann", "--code", code)
    assert again.exit_code == 1
    assert "not verified; 2 attempts left" in again.output


def test_the_plain_output_says_where_it_went_masked(run, ada) -> None:
    sent = run("verify", "send-code", ada, "--as", "ann", "--channel", "sms")
    assert sent.exit_code == 0, sent.output
    # No "to *** *** 0018": "service" hides the phone until the caller is verified.
    assert "code sent by sms; it works once" in sent.output and "0018" not in sent.output
    assert code_sent_to(ada) not in sent.output


def test_bad_input_is_one_line_and_non_zero(run, ada, initialised) -> None:
    no_phone = add_customer(run, {k: v for k, v in ADA.items() if k != "phone"})["id"]
    refused = run("verify", "send-code", no_phone, "--as", "ann", "--channel", "sms")
    assert refused.exit_code != 0 and "channel" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    unreadable = run("verify", "check", ada, "--as", "ann", "--code", "12ab56")
    assert unreadable.exit_code != 0 and "code" in unreadable.output
    both = run("verify", "check", ada, "--as", "ann", "--code", "123456", "--answer", "postcode=x")
    assert both.exit_code == 2


def test_the_channels_written_out_for_help_are_the_policys() -> None:
    assert load_policy().verification["one_time_code"].channels == CHANNELS
