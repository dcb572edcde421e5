"""`clientkeep reply letter` prints the letter of one of your disclosures, holding exactly the
details told; `clientkeep reply email` queues it to the address on the record, only for a
disclosure by email, and fails with one line otherwise."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff
from tests.e2e.cli.test_disclose_commands import verified


@pytest.fixture
def ada(run, initialised) -> str:
    add_staff(run)
    return add_customer(run, {**ADA, "date_of_birth": "1979-03-14"})["id"]


def told(run, customer_id, channel: str) -> str:
    ver = verified(run, customer_id)
    done = run(
        "disclose", customer_id, "--as", "ann", "--verification", ver, "--field", "postcode",
        "--channel", channel, "--recipient", "the caller", "--json",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    return str(json.loads(done.stdout)["disclosure_id"])


def test_the_letter_holds_the_details_told_and_nothing_else(run, ada) -> None:
    dis = told(run, ada, "letter")
    printed = run("reply", "letter", ada, dis, "--as", "ann")
    assert printed.exit_code == 0, printed.output
    assert "Postcode: SW1A 1AA" in printed.stdout
    assert "example.com" not in printed.stdout.lower() and "1979" not in printed.stdout
    as_json = run("reply", "letter", ada, dis, "--as", "ann", "--json")
    assert json.loads(as_json.stdout)["body"] == printed.stdout
    other = run("reply", "letter", ada, dis, "--as", "sam")
    assert other.exit_code != 0 and "SW1A" not in other.output


def test_an_email_reply_is_queued_only_for_a_disclosure_by_email(run, ada) -> None:
    by_phone = told(run, ada, "phone")
    refused = run("reply", "email", ada, by_phone, "--as", "ann")
    assert refused.exit_code != 0
    assert len(refused.output.strip().splitlines()) == 1
    by_email = told(run, ada, "email")
    queued = run("reply", "email", ada, by_email, "--as", "ann", "--json")
    assert queued.exit_code == 0, queued.output
    assert json.loads(queued.stdout)["message_id"].startswith("msg_")
