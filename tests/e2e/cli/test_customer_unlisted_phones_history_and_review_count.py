"""The command line: an import keeps unlisted phone numbers only with
--accept-unlisted-phones (and names each row it did not save, by line); a history names who
by name and role; the review queue counts everything queued, not the page."""

from __future__ import annotations

import json

from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff
from tests.e2e.cli.test_customer_import_command import add_supervisor, find

CSV = (
    "given_name,family_name,email,phone\n"
    "Ada,Lovelace,ada@example.com,020 7946 0018\n"
    "Drama,Number,drama@example.com,07700 900123\n"
)


def test_an_unlisted_number_is_reported_by_line_and_not_saved(initialised, run, tmp_path) -> None:
    add_supervisor(run)
    path = tmp_path / "customers.csv"
    path.write_text(CSV)
    result = run("customer", "import", str(path), "--as", "sam", "--purpose", "service")
    assert result.exit_code == 2
    assert "imported 1 customers" in result.output
    # Named by its line and field, never by its value.
    assert "line 3: phone:" in result.output
    assert "--accept-unlisted-phones" in result.output
    assert "900123" not in result.output
    assert find(run, "phone", "07700 900123") == []


def test_with_the_flag_the_unlisted_number_is_kept_and_found(initialised, run, tmp_path) -> None:
    add_supervisor(run)
    path = tmp_path / "customers.csv"
    path.write_text(CSV)
    result = run(
        "customer",
        "import",
        str(path),
        "--as",
        "sam",
        "--purpose",
        "service",
        "--accept-unlisted-phones",
    )
    assert result.exit_code == 0, result.output
    assert "imported 2 customers" in result.output
    (match,) = find(run, "phone", "07700900123")
    shown = run("customer", "show", match["id"], "--as", "sam", "--purpose", "service")
    assert "07700 900123" in shown.output and "unlisted number" in shown.output


def test_a_history_names_who_by_name_and_role(initialised, run) -> None:
    add_staff(run)
    cid = add_customer(run)["id"]
    result = run("customer", "history", cid, "--as", "ann", "--purpose", "service")
    assert result.exit_code == 0, result.output
    assert "ann (agent)" in result.output and "stf_" not in result.output
    assert "020 7946 0018" in result.output and "+44" not in result.output


def test_the_review_queue_counts_everything_queued(initialised, run) -> None:
    add_staff(run)
    for n in range(3):
        add_customer(run, {**ADA, "email": f"ada{n}@example.com"})
    queued = json.loads(run("customer", "review", "--as", "sam", "--json").output)
    total = len(queued["duplicates"])
    assert total >= 2 and queued["duplicates_total"] == total
    result = run("customer", "review", "--as", "sam", "--limit", "1")
    assert result.exit_code == 0, result.output
    assert f"Suspected duplicates ({total:,}; the first 1 shown)" in result.output
