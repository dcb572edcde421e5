"""`clientkeep customer update`: a change the caller asks for takes --on-behalf-of-customer
and --verification (a check of that caller by the same member, still valid), and its audit
event names the verification; without one it fails in one line and writes nothing. An
internal correction says where it came from with --source, never a caller channel."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff
from tests.e2e.cli.test_disclose_commands import verified


@pytest.fixture
def ada(run, initialised) -> str:
    add_staff(run)
    return add_customer(run, {**ADA, "date_of_birth": "1979-03-14", "town": "London"})["id"]


def update(run, customer_id, *extra, as_user="ann"):
    return run(
        "customer", "update", customer_id, "--as", as_user, "--purpose", "service",
        "--field", "town=Leeds", "--reason", "moved", *extra,
    )  # fmt: skip


def town_of(run, customer_id) -> str:
    shown = run("customer", "show", customer_id, "--as", "ann", "--purpose", "service", "--json")
    return json.loads(shown.stdout)["fields"]["town"]


def updates_in_the_trail(run, customer_id) -> list[dict]:
    listed = run("audit", "list", "--as", "dee", "--customer", customer_id, "--json")
    assert listed.exit_code == 0, listed.output
    return [e for e in json.loads(listed.stdout)["items"] if e["action"] == "customer.updated"]


def test_a_verified_callers_change_is_made_and_the_trail_names_the_verification(run, ada) -> None:
    ver = verified(run, ada)
    done = update(run, ada, "--on-behalf-of-customer", "--verification", ver, "--json")
    assert done.exit_code == 0, done.output
    body = json.loads(done.stdout)
    assert body["fields"]["town"] == "Leeds"
    [event] = updates_in_the_trail(run, ada)
    assert event["outcome"] == "success"
    assert event["detail"]["verification_id"] == ver
    assert event["detail"]["source"] == "phone"


def test_without_a_verification_of_yours_it_fails_in_one_line_and_writes_nothing(run, ada) -> None:
    ver = verified(run, ada)
    for who, extra in (
        ("ann", ()),
        ("ann", ("--verification", "ver_unknown")),
        ("sam", ("--verification", ver)),  # ann ran the check, not sam
    ):
        refused = update(run, ada, "--on-behalf-of-customer", *extra, as_user=who)
        assert refused.exit_code == 3, refused.output
        assert refused.output.strip().count("\n") == 0
        assert "verif" in refused.output.lower()
    assert town_of(run, ada) == "London"
    assert [e["outcome"] for e in updates_in_the_trail(run, ada)] == ["denied"] * 3


@pytest.mark.parametrize("source", ["phone", "in_person", "web"])
def test_an_internal_correction_from_a_caller_channel_is_refused(run, ada, source) -> None:
    refused = update(run, ada, "--source", source)
    assert refused.exit_code == 2
    assert refused.output.startswith("error: source:")
    assert "on_behalf_of_customer and a verification" in refused.output
    assert town_of(run, ada) == "London"


def test_an_internal_correction_says_where_it_came_from(run, ada) -> None:
    missing = update(run, ada)
    assert missing.exit_code == 2 and "Say where the correction came from" in missing.output
    done = update(run, ada, "--source", "returned_post", "--json")
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["field_details"]["town"]["source"] == "returned_post"
    [event] = updates_in_the_trail(run, ada)
    assert event["detail"]["source"] == "returned_post"
    assert "verification_id" not in event["detail"]


def test_a_verification_without_on_behalf_of_customer_is_refused(run, ada) -> None:
    ver = verified(run, ada)
    refused = update(run, ada, "--source", "internal_records", "--verification", ver)
    assert refused.exit_code == 2 and "--on-behalf-of-customer" in refused.output
    assert town_of(run, ada) == "London"
