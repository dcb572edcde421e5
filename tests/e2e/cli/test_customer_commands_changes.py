"""`clientkeep customer update|history|confirm|merge|review`: changing records, traceably."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff


@pytest.fixture
def staff(initialised, run) -> None:
    add_staff(run)


@pytest.fixture
def ada(staff, run) -> dict:
    return add_customer(run)


def show(run, customer_id: str, as_user: str = "ann") -> dict:
    result = run("customer", "show", customer_id, "--as", as_user, "--purpose", "service", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_update_needs_a_reason(ada, run) -> None:
    args = (
        "customer",
        "update",
        ada["id"],
        "--as",
        "ann",
        "--purpose",
        "service",
        "--field",
        "email=ada@example.org",
    )
    assert run(*args).exit_code == 2
    blank = run(*args, "--reason", "   ")
    assert blank.exit_code == 2 and "reason:" in blank.output
    assert show(run, ada["id"])["fields"]["email"] == ada["fields"]["email"]


def test_update_changes_and_removes_and_history_keeps_the_old_value(ada, run, monkeypatch) -> None:
    result = run(
        "customer",
        "update",
        ada["id"],
        "--as",
        "ann",
        "--purpose",
        "service",
        "--reason",
        "customer moved email provider",
        "--source",
        "email",
        "--field",
        "email=ada@example.org",
        "--remove",
        "postcode",
        "--json",
    )
    assert result.exit_code == 0, result.output
    fields = json.loads(result.stdout)["fields"]
    assert fields["email"] == "ada@example.org" and "postcode" not in fields
    history = json.loads(
        run(
            "customer", "history", ada["id"], "--as", "ann", "--purpose", "service", "--json"
        ).stdout
    )
    email = next(c for c in history if c["field"] == "email" and c["kind"] == "rectified")
    assert email["old_value"] == ada["fields"]["email"]
    assert email["new_value"] == "ada@example.org"
    assert email["reason"] == "customer moved email provider"
    assert any(c["field"] == "postcode" and c["kind"] == "removed" for c in history)
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal, so no cell wraps
    table = run("customer", "history", ada["id"], "--as", "ann", "--purpose", "service")
    assert table.exit_code == 0
    for text in ("customer moved email provider", "ada@example.org", "SW1A 1AA", "(removed)"):
        assert text in table.stdout


def test_update_refuses_setting_and_removing_one_field(ada, run) -> None:
    result = run(
        "customer",
        "update",
        ada["id"],
        "--as",
        "ann",
        "--purpose",
        "service",
        "--reason",
        "typo",
        "--field",
        "email=ada@example.org",
        "--remove",
        "email",
    )
    assert result.exit_code == 2 and "ada@example.org" not in result.output


def test_confirm_records_when_and_how(ada, run) -> None:
    result = run(
        "customer",
        "confirm",
        ada["id"],
        "--as",
        "ann",
        "--purpose",
        "service",
        "--method",
        "phone",
        "--field",
        "email",
        "--field",
        "phone",
        "--json",
    )
    assert result.exit_code == 0, result.output
    details = json.loads(result.stdout)["field_details"]
    assert details["email"]["confirmed_method"] == "phone" and details["email"]["confirmed_at"]
    assert details["postcode"]["confirmed_at"] is None
    bad = run(
        "customer",
        "confirm",
        ada["id"],
        "--as",
        "ann",
        "--purpose",
        "service",
        "--method",
        "telepathy",
        "--field",
        "email",
    )
    assert bad.exit_code == 2 and "method:" in bad.output


def test_a_supervisor_merges_and_the_duplicate_points_at_the_survivor(ada, run) -> None:
    twin = add_customer(run, {**ADA, "given_name": "Adah", "town": "London"})
    args = ("customer", "merge", ada["id"], twin["id"])
    assert run(*args, "--as", "ann").exit_code == 3
    # A name is taken whole or not at all: one part of it alone is refused, merging nothing.
    part = run(*args, "--take", f"given_name={twin['id']}", "--as", "sam")
    assert part.exit_code == 2 and "Choose the name as a whole" in part.output
    previewed = run(*args, "--as", "sam", "--json")
    assert previewed.exit_code == 0, previewed.output
    digest = json.loads(previewed.stdout)["preview_digest"]
    reason = ("--reason", "same person, typo in the name")
    merged = run(*args, "--as", "sam", "--confirm", digest, *reason, "--json")
    assert merged.exit_code == 0, merged.output
    fields = json.loads(merged.stdout)["fields"]
    assert fields["given_name"] == "Ada" and fields["town"] == "London"
    gone = run("customer", "show", twin["id"], "--as", "ann", "--purpose", "service")
    assert gone.exit_code == 4 and ada["id"] in gone.output


def test_review_lists_the_suspected_duplicate(ada, run) -> None:
    twin = add_customer(run, {**ADA, "given_name": "Adah"})
    assert twin["possible_duplicates"][0]["id"] == ada["id"]
    assert run("customer", "review", "--as", "ann").exit_code == 3
    queue = json.loads(run("customer", "review", "--as", "sam", "--json").stdout)
    assert {(d["customer_id"], d["other_id"]) for d in queue["duplicates"]} == {
        (twin["id"], ada["id"])
    }
    assert queue["stale"] == []
    table = run("customer", "review", "--as", "dee")
    assert table.exit_code == 0 and twin["id"] in table.stdout and "Suspected" in table.stdout
