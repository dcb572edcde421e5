"""`clientkeep third-party-request add|list|show|decide` records a request, lists the queue,
shows one and decides it (four eyes); `clientkeep disclose --request-id` answers an approved
request once, with approved fields only; refusals are one line and a non-zero exit, and no
value is printed on them."""

from __future__ import annotations

import json

import pytest

from clientkeep.adapters.cli import third_party_requests as cli
from clientkeep.verification.third_party_bases import BASES
from clientkeep.verification.third_party_model import STATUSES
from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff


@pytest.fixture
def ada(run, initialised) -> str:
    add_staff(run)
    return add_customer(run, ADA)["id"]


def add(run, customer_id, *fields, as_user="ann", extra=()):
    return run(
        "third-party-request", "add", customer_id, "--as", as_user,
        "--requester", "DC Sam Example", "--organisation", "Example Constabulary",
        "--identity-check", "called back on the switchboard", "--basis", "crime_and_taxation",
        "--reference", "CR/1", "--reason", "a fraud inquiry",
        *(a for f in fields for a in ("--field", f)), *extra,
    )  # fmt: skip


def disclose(run, customer_id, request_id, *fields, as_user="ann"):
    return run(
        "disclose", customer_id, "--as", as_user, "--request-id", request_id,
        *(a for f in fields for a in ("--field", f)),
        "--channel", "email", "--recipient", "DC Sam Example",
    )  # fmt: skip


def test_the_values_shown_in_help_are_the_domains() -> None:
    assert tuple(BASES) == cli.BASES
    assert cli.STATUSES == STATUSES


def test_a_request_is_recorded_decided_and_answered_once(run, ada) -> None:
    made = add(run, ada, "email", "phone", extra=("--json",))
    assert made.exit_code == 0, made.output
    request_id = json.loads(made.stdout)["id"]
    assert json.loads(made.stdout)["status"] == "pending"

    early = disclose(run, ada, request_id, "email")
    assert early.exit_code != 0 and "example.com" not in early.output.lower()

    queue = run("third-party-request", "list", "--as", "sam", "--json")
    assert queue.exit_code == 0, queue.output
    assert [i["id"] for i in json.loads(queue.stdout)["items"]] == [request_id]
    assert run("third-party-request", "list", "--as", "ann").exit_code != 0

    own = run(
        "third-party-request", "decide", request_id, "--as", "ann",
        "--decision", "approve", "--reason", "mine",
    )  # fmt: skip
    assert own.exit_code != 0
    decided = run(
        "third-party-request", "decide", request_id, "--as", "sam", "--decision", "approve",
        "--field", "email", "--reason", "crime number checked",
    )  # fmt: skip
    assert decided.exit_code == 0, decided.output
    assert f"{request_id}: approved: email" in decided.output

    beyond = disclose(run, ada, request_id, "email", "phone")
    assert beyond.exit_code != 0 and "7946" not in beyond.output
    told = disclose(run, ada, request_id, "email")
    assert told.exit_code == 0, told.output
    assert "email: Ada.Lovelace@example.com" in told.output
    again = disclose(run, ada, request_id, "email")
    assert again.exit_code != 0 and "example.com" not in again.output.lower()

    shown = run("third-party-request", "show", request_id, "--as", "dee")
    assert shown.exit_code == 0 and "disclosed" in shown.output
    assert "requester: DC Sam Example, Example Constabulary" in shown.output
    log = run("disclosures", ada, "--as", "ann")
    assert f"third-party request {request_id}" in log.output
    assert "approved by sam" in log.output
    mine = run("third-party-request", "list", "--as", "ann", "--customer", ada, "--json")
    assert json.loads(mine.stdout)["items"][0]["status"] == "disclosed"


def test_bad_input_is_one_line_and_a_non_zero_exit(run, ada) -> None:
    hidden = add(run, ada, "accessibility_needs")
    assert hidden.exit_code == 2 and "fields.0" in hidden.output
    neither = run(
        "disclose", ada, "--as", "ann", "--field", "email", "--channel", "email",
        "--recipient", "x",
    )  # fmt: skip
    assert neither.exit_code == 2 and "exactly one" in neither.output
    refused = run(
        "third-party-request", "decide", "tpr_unknown", "--as", "sam",
        "--decision", "maybe", "--reason", "x",
    )  # fmt: skip
    assert refused.exit_code == 2 and "decision" in refused.output
