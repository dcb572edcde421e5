"""`clientkeep audit list --as USER`: the trail newest first, with the API's filters, fields
and cursors; each listing is an audited read, and a bad filter is one line and exit 2."""

from __future__ import annotations

import json

import pytest

PASSWORD = "a long enough passphrase for tests"


@pytest.fixture
def dpo(initialised, run) -> str:
    added = run("user", "add", "dana", "--role", "dpo", "--password-stdin", input=PASSWORD + "\n")
    assert added.exit_code == 0, added.output
    return "dana"


def test_the_trail_is_listed_newest_first_with_names_and_cursors(dpo, run) -> None:
    first = json.loads(run("audit", "list", "--as", dpo, "--limit", "1", "--json").output)
    seqs = [i["seq"] for i in first["items"]]
    assert seqs == sorted(seqs, reverse=True) and first["prev_cursor"] is None
    assert {"actor_id", "actor_name", "via", "hash"} <= set(first["items"][0])
    older = json.loads(
        run(
            "audit", "list", "--as", dpo, "--limit", "1", "--cursor", first["next_cursor"], "--json"
        ).output
    )
    assert max(i["seq"] for i in older["items"]) < min(seqs)
    staff = json.loads(
        run(
            "audit", "list", "--as", dpo, "--action", "staff.created", "--order", "oldest", "--json"
        ).output
    )
    # Added by whoever ran `init` and `user add`: an operating-system account, not staff.
    assert {i["via"]["channel"] for i in staff["items"]} == {"cli"}
    assert all(i["actor_name"] == i["actor_id"] for i in staff["items"])
    reads = json.loads(run("audit", "list", "--as", dpo, "--action", "audit.read", "--json").output)
    assert {i["actor_name"] for i in reads["items"]} == {"dana (dpo)"}
    text = run("audit", "list", "--as", dpo, "--limit", "1").output
    assert "Read the audit trail" in text and "dana (dpo)" in text and "older: --cursor" in text


def test_a_bad_filter_is_one_line_naming_it_and_never_its_value(dpo, run) -> None:
    result = run("audit", "list", "--as", dpo, "--from", "next Friday")
    assert result.exit_code == 2
    assert "from:" in result.output and "next Friday" not in result.output


def test_a_role_that_may_not_read_the_trail_is_refused(initialised, run) -> None:
    run("user", "add", "ann", "--role", "agent", "--password-stdin", input=PASSWORD + "\n")
    assert run("audit", "list", "--as", "ann").exit_code == 3
