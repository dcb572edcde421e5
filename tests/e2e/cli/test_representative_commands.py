"""`clientkeep representative add|list|decide` and `clientkeep verify check --representative`:
a representative is recorded pending with their own answers (typed at a prompt or given),
approved by a supervisor who did not record them, then verified with their own answers only;
the answers appear in no output; bad input is one line and a non-zero exit."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff

CANARY = "YO31 7QZ"


@pytest.fixture
def ada(run, initialised) -> str:
    add_staff(run)
    return add_customer(run, {**ADA, "date_of_birth": "1979-03-14"})["id"]


def add(run, customer_id, *extra, as_user="ann", input=None):
    return run(
        "representative",
        "add",
        customer_id,
        "--as",
        as_user,
        "--name",
        "Byron Lovelace",
        "--relationship",
        "son",
        "--authority",
        "lasting_power_of_attorney",
        "--reference",
        "7000-1234-5678",
        "--evidence",
        "the registered LPA, original",
        "--field",
        "email",
        "--action",
        "disclose",
        *extra,
        input=input,
    )


def test_add_approve_list_and_verify_with_their_own_answers(run, ada) -> None:
    outputs = []
    made = add(run, ada, "--json", as_user="sam", input="2/7/1961\nyo31 7qz\n\n")
    assert made.exit_code == 0, made.output
    assert made.stdout.count("the representative's") == 3  # asked for each of their answers
    rep_id = json.loads(made.stdout[made.stdout.index("{") :])["representative_id"]
    # The test runner echoes what was typed at the prompts; what the command wrote is after.
    outputs.append(made.stdout[made.stdout.index("{") :])

    agent = run(
        "representative",
        "decide",
        ada,
        rep_id,
        "--as",
        "ann",
        "--decision",
        "approve",
        "--reason",
        "checked",
    )
    assert agent.exit_code == 3 and "may not decide" in agent.output
    own = run(
        "representative",
        "decide",
        ada,
        rep_id,
        "--as",
        "sam",
        "--decision",
        "approve",
        "--reason",
        "checked",
    )
    assert own.exit_code == 3 and "another member" in own.output
    done = run(
        "representative",
        "decide",
        ada,
        rep_id,
        "--as",
        "dee",
        "--decision",
        "approve",
        "--reason",
        "LPA checked with the OPG",
        "--json",
    )
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout) == {"representative_id": rep_id, "status": "approved"}

    customers_own = run(
        "verify",
        "check",
        ada,
        "--as",
        "ann",
        "--representative",
        rep_id,
        "--answer",
        "date_of_birth=1979-03-14",
        "--answer",
        "postcode=sw1a1aa",
    )
    assert customers_own.exit_code == 1 and "not verified" in customers_own.output
    verified = run(
        "verify",
        "check",
        ada,
        "--as",
        "ann",
        "--representative",
        rep_id,
        "--json",
        "--answer",
        "date_of_birth=1961-07-02",
        "--answer",
        f"postcode={CANARY}",
    )
    assert verified.exit_code == 0, verified.output
    body = json.loads(verified.stdout)
    assert body["verified"] is True and set(body) == {"verified", "verification_id", "expires_at"}
    outputs += [customers_own.output, verified.stdout]

    told = run(
        "disclose",
        ada,
        "--as",
        "ann",
        "--verification",
        body["verification_id"],
        "--field",
        "phone",
        "--channel",
        "phone",
        "--recipient",
        "her son",
    )
    assert told.exit_code == 3 and "phone" in told.output and "7946" not in told.output

    listed = run("representative", "list", ada, "--as", "ann", "--json")
    assert listed.exit_code == 0, listed.output
    [item] = json.loads(listed.stdout)["items"]
    assert (item["id"], item["status"], item["acts_now"]) == (rep_id, "approved", True)
    assert item["decision_reason"] == "LPA checked with the OPG"
    plain = run("representative", "list", ada, "--as", "ann")
    assert "Byron Lovelace" in plain.stdout and "approved" in plain.stdout
    outputs += [listed.stdout, plain.stdout]
    for text in outputs:
        assert "YO31" not in text.upper() and "1961" not in text


def test_bad_input_is_one_line_and_a_non_zero_exit(run, ada) -> None:
    bad = add(
        run,
        ada,
        "--answer",
        "postcode=YO31 7QZ",
        "--answer",
        "date_of_birth=31/02/1961",
        "--expires-on",
        "2020-01-01",
    )
    assert bad.exit_code == 2
    assert "answers.date_of_birth" in bad.output and "expires_on" in bad.output
    assert "YO31" not in bad.output
    assert len(bad.output.strip().splitlines()) == 1
    date = add(run, ada, "--expires-on", "next year")
    assert date.exit_code == 2 and "--expires-on" in date.output
    listed = run("representative", "list", ada, "--as", "ann", "--json")
    assert json.loads(listed.stdout)["items"] == []
