"""`clientkeep verify check|list`: a caller's answers give verified (exit 0) or not (exit 1
with the attempts left), never which answer was wrong; answers can be asked for at a prompt;
the checks are listed with who ran them; the JSON has the API's field names."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff

HELD = ("1979-03-14", "SW1A 1AA", "0018")


@pytest.fixture
def ada(run, initialised) -> str:
    add_staff(run)
    return add_customer(run, {**ADA, "date_of_birth": "1979-03-14"})["id"]


def test_right_answers_verify_the_caller(run, ada) -> None:
    done = run(
        "verify",
        "check",
        ada,
        "--as",
        "ann",
        "--json",
        "--answer",
        "date_of_birth=14/03/1979",
        "--answer",
        "postcode=sw1a 1aa",
    )
    assert done.exit_code == 0, done.output
    body = json.loads(done.stdout)
    assert body["verified"] is True and body["verification_id"].startswith("ver_")
    assert set(body) == {"verified", "verification_id", "expires_at"}


def test_wrong_answers_exit_1_saying_only_the_attempts_left(run, ada) -> None:
    failed = run(
        "verify",
        "check",
        ada,
        "--as",
        "ann",
        "--answer",
        "date_of_birth=1979-03-14",
        "--answer",
        "postcode=M1 1AE",
    )
    assert failed.exit_code == 1
    assert "not verified; 2 attempts left" in failed.output
    for held in HELD:
        assert held not in failed.output
    as_json = run(
        "verify",
        "check",
        ada,
        "--as",
        "ann",
        "--json",
        "--answer",
        "date_of_birth=1980-01-01",
        "--answer",
        "postcode=M1 1AE",
    )
    assert as_json.exit_code == 1 and json.loads(as_json.stdout) == {
        "verified": False,
        "attempts_left": 1,
    }


def test_answers_are_asked_for_when_none_are_given(run, ada) -> None:
    # Prompts in the policy's order: date of birth, postcode, reference, phone's last four.
    done = run("verify", "check", ada, "--as", "ann", input="1979-03-14\nSW1A1AA\n\n\n")
    assert done.exit_code == 0, done.output
    assert "verified: ver_" in done.output


def test_a_bad_answer_is_one_line_naming_it(run, ada) -> None:
    bad = run("verify", "check", ada, "--as", "ann", "--answer", "nonsense")
    assert bad.exit_code == 2 and "--answer: item 1 is not NAME=VALUE" in bad.output
    unreadable = run(
        "verify",
        "check",
        ada,
        "--as",
        "ann",
        "--answer",
        "date_of_birth=31/02/1979",
        "--answer",
        "postcode=SW1A 1AA",
    )
    assert unreadable.exit_code == 2 and "date_of_birth:" in unreadable.output


def test_the_checks_are_listed_with_who_ran_them(run, ada) -> None:
    run(
        "verify",
        "check",
        ada,
        "--as",
        "ann",
        "--answer",
        "date_of_birth=1979-03-14",
        "--answer",
        "postcode=SW1A 1AA",
    )
    listed = run("verify", "list", ada, "--as", "sam", "--json")
    assert listed.exit_code == 0, listed.output
    items = json.loads(listed.stdout)["items"]
    assert len(items) == 1 and items[0]["verified"] is True
    assert items[0]["details_asked_for"] == ["date_of_birth", "postcode"]
    assert items[0]["checked_by_name"].endswith("(agent)")
    plain = run("verify", "list", ada, "--as", "sam")
    assert "verified by" in plain.output
