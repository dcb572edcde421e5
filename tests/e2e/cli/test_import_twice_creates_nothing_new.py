"""Importing a file again makes nobody twice; `--json` reports every row by its line; progress
is printed when the output is not a terminal."""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import create_engine, func, select

from clientkeep.adapters.db.customer_tables import customer

PASSWORD = "a sound long password"
CSV = (
    "given_name,family_name,email,postcode\n"
    "Ada,Lovelace,ada@example.com,sw1a1aa\n"  # line 2
    "Grace,Hopper,grace@example.com,LS1 4AP\n"  # line 3
    "Bad,Row,not-an-email,\n"  # line 4
    "Ada,Lovelace,ada@EXAMPLE.com,SW1A 1AA\n"  # line 5: line 2 spelt another way
)
WITH_CRM_IDS = (
    "given_name,family_name,email,postcode,crm_id\n"
    "Ada,Lovelace,ada@example.com,sw1a1aa,crm-1\n"
    "Grace,Hopper,grace@example.com,LS1 4AP,crm-2\n"
)


@pytest.fixture
def importing(initialised, run, tmp_path):
    result = run(
        "user", "add", "sam", "--role", "supervisor", "--password-stdin", input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    path = tmp_path / "customers.csv"
    path.write_text(CSV)

    def run_import(*extra: str, content: str | None = None):
        if content is not None:
            path.write_text(content)
        return run("customer", "import", str(path), "--as", "sam", "--purpose", "service", *extra)

    return run_import


def customers_held() -> int:
    engine = create_engine(os.environ["CLIENTKEEP_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            query = select(func.count()).select_from(customer)
            return int(conn.execute(query.where(customer.c.merged_into.is_(None))).scalar_one())
    finally:
        engine.dispose()


def test_json_reports_every_row_by_its_file_line(importing) -> None:
    result = importing("--json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert (report["imported"], report["skipped_already_imported"], report["rejected"]) == (
        2,
        1,
        1,
    )
    ada, grace, bad, again = report["rows"]
    assert (ada["line"], grace["line"], bad["line"], again["line"]) == (2, 3, 4, 5)
    assert ada["customer_id"].startswith("cus_") and grace["customer_id"].startswith("cus_")
    assert bad["errors"] == [
        {
            "field": "email",
            "message": "Enter an email address in the right format, such as name@example.com.",
        }
    ]
    assert again == {"line": 5, "already_imported": ada["customer_id"]}
    assert "not-an-email" not in result.output


def test_importing_the_same_file_twice_makes_nobody_new(importing) -> None:
    first = json.loads(importing("--json").stdout)
    assert customers_held() == 2
    second = importing("--json")
    report = json.loads(second.stdout)
    assert (report["imported"], report["skipped_already_imported"]) == (0, 3)
    made = {r["line"]: r["customer_id"] for r in first["rows"] if "customer_id" in r}
    assert {
        r["line"]: r["already_imported"] for r in report["rows"] if "already_imported" in r
    } == {
        2: made[2],
        3: made[3],
        5: made[2],
    }
    assert customers_held() == 2


def test_a_file_of_rows_all_imported_before_exits_zero_naming_each(importing) -> None:
    clean = "\n".join(CSV.splitlines()[:3]) + "\n"
    assert importing(content=clean).exit_code == 0
    again = importing(content=clean)
    assert again.exit_code == 0, again.output
    assert "imported 0 customers; 2 rows already imported; 0 rows rejected" in again.stdout
    assert "line 2: already imported as cus_" in again.stderr
    assert "line 3: already imported as cus_" in again.stderr
    assert customers_held() == 2


def test_an_external_id_column_decides_what_was_imported_before(importing) -> None:
    clean = WITH_CRM_IDS
    assert importing("--external-id-column", "crm_id", content=clean).exit_code == 0
    # Grace moved: the same customer of the other system, with a new postcode.
    moved = clean.replace("LS1 4AP", "M1 1AE")
    result = importing("--external-id-column", "crm_id", "--json", content=moved)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["skipped_already_imported"] == 2
    assert customers_held() == 2
    missing = importing("--external-id-column", "nope", content=clean)
    assert missing.exit_code == 2
    assert "the header has no column named nope" in missing.stderr


def test_progress_lines_are_printed_when_the_output_is_not_a_terminal(
    importing, monkeypatch
) -> None:
    monkeypatch.setenv("CLIENTKEEP_PROGRESS_INTERVAL", "0")
    rows = "".join(f"Person,Number{chr(97 + i)},p{i}@example.com,\n" for i in range(12))
    result = importing("--batch", "5", content="given_name,family_name,email,postcode\n" + rows)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Importing")]
    # One line per batch (the interval is 0), then the final count and time.
    assert lines[0].startswith("Importing customers: 5 rows, ")
    assert lines[1].startswith("Importing customers: 10 rows, ")
    assert lines[-1].startswith("Importing customers: 12 rows in ")
