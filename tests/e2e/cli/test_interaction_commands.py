"""`clientkeep interaction log|correct|list|follow-ups` log a contact, correct it (a new entry,
the old one marked), read the customer's timeline a page at a time and list the open
follow-ups; a note the checker warns about is refused in one line naming each hit's field and
kind (never the text) until it is redacted or a keepable kind is kept; bad input is one line
and a non-zero exit."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff

CARD = "4111 1111 1111 1111"


@pytest.fixture
def ada(run, initialised) -> str:
    add_staff(run)
    return add_customer(run, ADA)["id"]


def log(run, ada, *extra: str, nature: str = "asked about the bill"):
    return run(
        "interaction",
        "log",
        ada,
        "--as",
        "ann",
        "--channel",
        "phone",
        "--category",
        "enquiry",
        "--nature",
        nature,
        "--actions",
        "explained the charges",
        *extra,
    )


def test_a_contact_is_logged_listed_paged_and_corrected(run, ada) -> None:
    done = log(run, ada, "--json")
    assert done.exit_code == 0, done.output
    logged = json.loads(done.stdout)
    assert logged["interaction_id"].startswith("int_") and logged["redacted"] == []
    listed = run("interaction", "list", ada, "--as", "ann", "--json")
    assert listed.exit_code == 0, listed.output
    first = json.loads(listed.stdout)["items"][0]
    assert (first["id"], first["title"]) == (logged["interaction_id"], "Phone call: enquiry")
    assert {"label": "Nature", "text": "asked about the bill"} in first["details"]
    assert first["by_name"] == "ann (agent)"
    fixed = run(
        "interaction",
        "correct",
        ada,
        logged["interaction_id"],
        "--as",
        "ann",
        "--reason",
        "it was an email",
        "--channel",
        "email",
    )
    assert fixed.exit_code == 0, fixed.output
    assert fixed.stdout.startswith("corrected: int_")
    text = run("interaction", "list", ada, "--as", "ann")
    assert "Email: enquiry (correction)" in text.output
    assert "Reason for the correction: it was an email" in text.output
    assert f"Corrected by: {fixed.stdout.split()[1]}" in text.output
    # Older entries by cursor.
    for n in range(3):
        assert log(run, ada, nature=f"call {n}").exit_code == 0
    first = json.loads(
        run("interaction", "list", ada, "--as", "ann", "--limit", "2", "--json").stdout
    )
    assert len(first["items"]) == 2 and first["next_cursor"]
    text = run("interaction", "list", ada, "--as", "ann", "--limit", "2")
    assert f"older: --cursor {first['next_cursor']}" in text.output
    older = run(
        "interaction", "list", ada, "--as", "ann", "--cursor", first["next_cursor"], "--json"
    )
    ids = {i["id"] for i in json.loads(older.stdout)["items"]}
    assert ids and not ids & {i["id"] for i in first["items"]}
    # Under a purpose that keeps no notes, contacts are neither logged nor shown.
    refused = log(run, ada, "--purpose", "identity_verification")
    assert refused.exit_code in (2, 3) and len(refused.output.strip().splitlines()) == 1
    marketing = run("interaction", "list", ada, "--as", "sam", "--purpose", "marketing", "--json")
    assert marketing.exit_code == 0, marketing.output
    assert all(i["kind"] != "interaction" for i in json.loads(marketing.stdout)["items"])


def test_the_note_checker_refuses_in_one_line_until_redacted_or_kept(run, ada) -> None:
    refused = log(run, ada, nature=f"paid with {CARD} today")
    assert refused.exit_code == 2
    line = refused.output.strip()
    assert len(line.splitlines()) == 1
    assert "nature: This looks like a payment card number" in line and "--redact" in line
    assert CARD not in refused.output and "--keep" not in line
    as_json = log(run, ada, "--json", nature=f"paid with {CARD} today")
    assert as_json.exit_code == 2
    assert json.loads(as_json.stdout) == {
        "error": "note_warnings",
        "hits": [{"field": "nature", "kind": "card", "start": 10, "end": 29}],
        "keepable": [],
    }
    never = log(run, ada, "--keep", "card", nature=f"paid with {CARD} today")
    assert never.exit_code == 2 and "never kept" in never.output
    saved = log(run, ada, "--redact", nature=f"paid with {CARD} today")
    assert saved.exit_code == 0, saved.output
    assert "(redacted: card)" in saved.stdout
    listed = run("interaction", "list", ada, "--as", "ann")
    assert "paid with [card number removed] today" in listed.output
    assert CARD not in listed.output
    # A health word may be kept as written, once the member says so.
    nature = "asked for large print: recent stroke"
    refused = log(run, ada, nature=nature)
    assert refused.exit_code == 2 and "--keep health" in refused.output
    kept = log(run, ada, "--keep", "health", "--json", nature=nature)
    assert kept.exit_code == 0, kept.output
    assert json.loads(kept.stdout)["kept"] == ["health"]
    listed = json.loads(run("interaction", "list", ada, "--as", "ann", "--json").stdout)
    assert {"label": "Nature", "text": nature} in listed["items"][0]["details"]


BAD = [
    (("--channel", "fax"), "channel"),
    (("--outcome", "follow_up"), "follow_up_due"),
    (("--follow-up-due", "2026-02-30"), "follow_up_due"),
    (("--occurred-at", "yesterday"), "occurred_at"),
    (("--follows-up", "int_nothing"), "follows_up"),
    (("--nature", ""), "nature"),
]


def test_bad_input_is_one_line_and_follow_ups_close_with_the_next_contact(run, ada) -> None:
    # Bad input first: one line naming the field, a non-zero exit, nothing logged.
    base = {"--channel": "phone", "--category": "enquiry", "--nature": "asked", "--actions": "told"}
    for args, named in BAD:
        given = dict(zip(args[::2], args[1::2], strict=True))
        merged = [x for k, v in {**base, **given}.items() for x in (k, v)]
        refused = run("interaction", "log", ada, "--as", "ann", *merged)
        assert refused.exit_code == 2, (args, refused.output)
        assert len(refused.output.strip().splitlines()) == 1
        assert f"{named}:" in refused.output, (args, refused.output)
    missing = log(run, "cus_nobody")
    assert missing.exit_code == 4 and len(missing.output.strip().splitlines()) == 1
    nobody = log(
        run, ada, "--outcome", "follow_up", "--follow-up-due", "2030-01-01", "--owner", "zed"
    )
    assert nobody.exit_code == 4 and "--owner" in nobody.output
    listed = json.loads(run("interaction", "list", ada, "--as", "ann", "--json").stdout)
    assert all(i["kind"] != "interaction" for i in listed["items"])
    # Follow-ups: mine, the team's, closed by the next contact.
    due = (date.today() + timedelta(days=2)).isoformat()
    made = log(run, ada, "--outcome", "follow_up", "--follow-up-due", due, "--owner", "sam")
    assert made.exit_code == 0, made.output
    follow_up = made.stdout.split()[1]
    mine = json.loads(run("interaction", "follow-ups", "--as", "ann", "--json").stdout)
    assert mine == {"items": []}
    team = run("interaction", "follow-ups", "--as", "ann", "--team", "--json")
    item = json.loads(team.stdout)["items"][0]
    assert (item["interaction_id"], item["owner_name"], item["due"]) == (
        follow_up,
        "sam (supervisor)",
        due,
    )
    assert item["display_name"] == "Ada Lovelace"
    text = run("interaction", "follow-ups", "--as", "sam")
    assert f"due {due}  Ada Lovelace [{ada}]  phone: enquiry  [{follow_up}]" in text.output
    soon = run("interaction", "follow-ups", "--as", "sam", "--due-before", date.today().isoformat())
    assert "no open follow-ups" in soon.output
    closed = log(run, ada, "--follows-up", follow_up)
    assert closed.exit_code == 0, closed.output
    assert "no open follow-ups" in run("interaction", "follow-ups", "--as", "sam").output
