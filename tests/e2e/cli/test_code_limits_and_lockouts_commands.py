"""`clientkeep verify send-code` refuses a code sent too soon after the last in one line with
the time to try again (non-zero exit, nothing sent); `clientkeep verify lockouts` lists whose
caller checks are locked, for supervisors, never with what any caller said."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff

WRONG = ("--answer", "date_of_birth=01/01/1990", "--answer", "postcode=EC1A 1BB")


@pytest.fixture
def ada(run, initialised) -> str:
    add_staff(run)
    return add_customer(run, ADA)["id"]


def test_a_second_code_at_once_is_refused_in_one_line(run, ada) -> None:
    assert run("verify", "send-code", ada, "--as", "ann", "--channel", "email").exit_code == 0
    again = run("verify", "send-code", ada, "--as", "sam", "--channel", "sms")
    assert again.exit_code != 0
    lines = [line for line in again.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "error:" in lines[0]
    assert "sent to this customer moments ago" in lines[0] and "UTC" in lines[0]
    assert "Traceback" not in again.output
    for value in ("Lovelace@", "0018", "7946"):
        assert value not in again.output


def test_lockouts_lists_a_locked_customer_for_a_supervisor(run, ada) -> None:
    for _ in range(3):
        assert run("verify", "check", ada, "--as", "ann", *WRONG).exit_code == 1
    listed = run("verify", "lockouts", "--as", "sam", "--json")
    assert listed.exit_code == 0, listed.output
    [item] = json.loads(listed.stdout)["items"]
    assert item["customer_id"] == ada and item["display_name"] == "Ada Lovelace"
    assert item["failures"] == 3 and item["tried_by_names"][0].endswith("(agent)")
    plain = run("verify", "lockouts", "--as", "sam")
    assert plain.exit_code == 0 and f"{ada} Ada Lovelace: 3 failed checks" in plain.output
    for output in (listed.output, plain.output):
        for value in ("1990", "EC1A", "SW1A", "sw1a", "0018"):
            assert value not in output


def test_an_agent_may_not_list_lockouts(run, ada) -> None:
    refused = run("verify", "lockouts", "--as", "ann")
    assert refused.exit_code == 3
    assert "review" in refused.output.lower() or "may not" in refused.output.lower()


def test_nothing_locked_says_so(run, ada) -> None:
    listed = run("verify", "lockouts", "--as", "sam")
    assert listed.exit_code == 0 and "no customer's checks are locked" in listed.output
