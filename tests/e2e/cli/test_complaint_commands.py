"""`clientkeep complaint open|move|list|show|letter` opens a case with its deadlines, takes
its steps (an illegal one is one line and a non-zero exit), lists the board and a customer's
cases, shows one and prints the final response letter; `clientkeep report complaints` counts
them for a member holding reports.read; every command has --json."""

from __future__ import annotations

import json

import pytest

from clientkeep.adapters.cli import complaints as cli
from clientkeep.complaints.model import ACCEPTED, CHECKLIST, MOVES, STATES
from clientkeep.interactions.vocabulary import CHANNELS
from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff


@pytest.fixture
def ada(run, initialised) -> str:
    add_staff(run)
    return add_customer(run, ADA)["id"]


def test_the_values_shown_in_help_are_the_domains() -> None:
    assert cli.STEPS == MOVES
    assert cli.STATES == STATES
    assert cli.CHANNELS == CHANNELS
    assert cli.ACCEPTED == ACCEPTED
    assert cli.CHECKLIST == CHECKLIST


def test_a_complaint_from_the_command_line(run, ada) -> None:
    made = run(
        "complaint", "open", ada, "--as", "ann", "--type", "general",
        "--summary", "Charged twice", "--channel", "phone", "--json",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    case = json.loads(made.stdout)
    assert case["state"] == "received" and case["acknowledge_due"]
    case_id = case["id"]

    illegal = run("complaint", "move", case_id, "--as", "ann", "--step", "close")
    assert illegal.exit_code != 0 and "received" in illegal.output
    assert len(illegal.output.strip().splitlines()) == 1
    no_reason = run("complaint", "move", case_id, "--as", "ann", "--step", "hold")
    assert no_reason.exit_code != 0 and "reason" in no_reason.output

    moved = run("complaint", "move", case_id, "--as", "ann", "--step", "acknowledge")
    assert moved.exit_code == 0 and "acknowledged" in moved.output
    resolved = run(
        "complaint", "move", case_id, "--as", "ann", "--step", "resolve",
        "--resolution", "Refunded", "--checklist", "listened,apologised", "--accepted", "yes",
        "--json",
    )  # fmt: skip
    assert resolved.exit_code == 0, resolved.output
    body = json.loads(resolved.stdout)
    assert body["checklist"] == {
        "listened": True,
        "apologised": True,
        "solution_offered": False,
        "thanked": False,
    }

    board = run("complaint", "list", "--as", "ann", "--json")
    assert [i["id"] for i in json.loads(board.stdout)["items"]] == [case_id]
    listed = run("complaint", "list", "--as", "ann", "--customer", ada)
    assert listed.exit_code == 0 and case_id in listed.output
    shown = run("complaint", "show", case_id, "--as", "ann")
    assert "summary: Charged twice" in shown.output and "resolved" in shown.output
    letter = run("complaint", "letter", case_id, "--as", "ann")
    assert letter.exit_code == 0 and "Financial Ombudsman Service" in letter.output
    assert "Ada Lovelace" in letter.output

    report = run("report", "complaints", "--as", "sam", "--json")
    assert report.exit_code == 0, report.output
    rows = json.loads(report.stdout)["rows"]
    assert next(r for r in rows if r["key"] == "general")["resolved_on_time"] == 1
    text = run("report", "complaints", "--as", "sam")
    assert "General complaint: received 1" in text.output
    assert run("report", "complaints", "--as", "ann").exit_code != 0


def test_bad_input_is_one_line_and_a_non_zero_exit(run, ada) -> None:
    bad = run(
        "complaint", "open", ada, "--as", "ann", "--type", "nonsense",
        "--summary", "x", "--channel", "phone",
    )  # fmt: skip
    assert bad.exit_code != 0 and "type" in bad.output
    assert run("complaint", "show", "cmp_nothing", "--as", "ann").exit_code != 0
