"""`clientkeep feedback add|list|ask` record an answer, list a customer's answers and queue a
survey email; a score out of range is one line and exit 2; `clientkeep report satisfaction`
prints the figures as a table, JSON or CSV for a member holding reports.read."""

from __future__ import annotations

import json

import pytest

from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff


@pytest.fixture
def ada(run, initialised) -> str:
    add_staff(run)
    return add_customer(run, ADA)["id"]


def test_an_answer_is_recorded_listed_and_a_survey_queued(run, ada) -> None:
    done = run("feedback", "add", ada, "--as", "ann", "--csat", "4", "--comment", "kind", "--json")
    assert done.exit_code == 0, done.output
    body = json.loads(done.stdout)
    assert (body["scale"], body["score"], body["comment"]) == ("csat", 4, "kind")
    listed = run("feedback", "list", ada, "--as", "ann")
    assert listed.exit_code == 0 and "CSAT 4 of 5" in listed.output and "kind" in listed.output
    billing = run("feedback", "list", ada, "--as", "ann", "--purpose", "billing", "--json")
    assert json.loads(billing.stdout) == {"shown": False, "items": [], "next_cursor": None}
    asked = run("feedback", "ask", ada, "--as", "ann", "--json")
    assert asked.exit_code == 0, asked.output
    assert json.loads(asked.stdout)["message_id"].startswith("msg_")


@pytest.mark.parametrize(
    "args", [("--csat", "6"), ("--nps", "11"), ("--csat", "4", "--nps", "9"), ()]
)
def test_a_bad_score_is_one_line_and_exit_2(run, ada, args) -> None:
    refused = run("feedback", "add", ada, "--as", "ann", *args)
    assert refused.exit_code == 2
    assert len(refused.output.strip().splitlines()) == 1
    assert "csat" in refused.output or "nps" in refused.output


def test_the_satisfaction_report_as_json_csv_and_table(run, ada) -> None:
    for score in (9, 9, 10, 8, 7, 6, 0, 10, 9, 3):
        assert run("feedback", "add", ada, "--as", "ann", "--nps", str(score)).exit_code == 0
    as_json = run("report", "satisfaction", "--as", "sam", "--by", "staff", "--json")
    assert as_json.exit_code == 0, as_json.output
    body = json.loads(as_json.stdout)
    assert (body["total"]["nps"], body["total"]["nps_answers"]) == (20.0, 10)
    as_csv = run("report", "satisfaction", "--as", "sam", "--by", "channel", "--csv")
    assert as_csv.stdout.splitlines()[0].startswith("by,group,csat_percent")
    assert as_csv.stdout.splitlines()[-1] == "total,All,,0,20.0,10,5,2,3"
    table = run("report", "satisfaction", "--as", "sam")
    assert table.exit_code == 0 and "NPS   20.0 of      10" in table.output
    refused = run("report", "satisfaction", "--as", "ann")
    assert refused.exit_code == 3
