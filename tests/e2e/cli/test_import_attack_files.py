"""`customer import` fed hostile files: never a trace, every problem by its file line, and
exactly the rows around a bad one saved.

Row-level problems reject their row only: the rows before and after it are saved and the
command exits 2 with one line counting the rejected rows. A file that cannot be read at all
stops with one line saying how many customers were saved before it.
"""

from __future__ import annotations

import json
import os

import pytest
from sqlalchemy import create_engine, func, select

from clientkeep.adapters.db.customer_tables import customer

PASSWORD = "a sound long password"
HEADER = "given_name,family_name,email\n"
ADA_CSV = "Ada,Lovelace,ada@example.com\n"
CAROL_CSV = "Carol,Shaw,carol@example.com\n"
ADA = {"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"}
CAROL = {"given_name": "Carol", "family_name": "Shaw", "email": "carol@example.com"}
BOB = {"given_name": "Bob", "family_name": "Brown", "email": "bob@example.com"}


@pytest.fixture
def importing(initialised, run, tmp_path):
    result = run(
        "user", "add", "sam", "--role", "supervisor", "--password-stdin", input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output

    def run_import(name: str, content: bytes, *extra: str):
        path = tmp_path / name
        path.write_bytes(content)
        return run("customer", "import", str(path), "--as", "sam", "--purpose", "service", *extra)

    return run_import


def customers_held() -> int:
    engine = create_engine(os.environ["CLIENTKEEP_DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(customer)).scalar_one())
    finally:
        engine.dispose()


def csv_around(bad_line: bytes) -> bytes:
    """A CSV file whose line 3 is ``bad_line``, between two good rows."""
    return HEADER.encode() + ADA_CSV.encode() + bad_line + b"\n" + CAROL_CSV.encode()


def jsonl_around(bad_line: bytes) -> bytes:
    """JSON lines whose line 2 is ``bad_line``, between two good rows."""
    good = [json.dumps({"fields": row}).encode() for row in (ADA, CAROL)]
    return good[0] + b"\n" + bad_line + b"\n" + good[1] + b"\n"


def nested(depth: int) -> dict:
    value: dict = {}
    for _ in range(depth):
        value = {"a": value}
    return value


ROW_ATTACKS = {
    "a 20,000-character cell": (
        "attack.csv",
        csv_around(b"Bob," + b"x" * 20_000 + b",bob@example.com"),
        "line 3: family_name: The value is too long: use at most 10,000 characters.",
    ),
    "a 1 MB cell": (
        "attack.csv",
        csv_around(b"Bob," + b"x" * (1 << 20) + b",bob@example.com"),
        "line 3: line: The line is longer than 1,000,000 bytes.",
    ),
    "a 10 MB line": (
        "attack.jsonl",
        jsonl_around(json.dumps({"fields": {**BOB, "family_name": "x" * (10 << 20)}}).encode()),
        "line 2: line: The line is longer than 1,000,000 bytes.",
    ),
    "a deeply nested line": (
        "attack.jsonl",
        jsonl_around(b"[" * 200_000),
        "line 2: line: The line nests too deeply to be a row.",
    ),
    "a nested object as a value": (
        "attack.jsonl",
        jsonl_around(json.dumps({"fields": {**BOB, "given_name": nested(50)}}).encode()),
        "line 2: given_name: Give the value as text in quotes, not an object.",
    ),
    "a number as a value": (
        "attack.jsonl",
        jsonl_around(json.dumps({**BOB, "family_name": 42}).encode()),
        "line 2: family_name: Give the value as text in quotes, not a number.",
    ),
    "a huge integer": (
        "attack.jsonl",
        jsonl_around(b'{"fields": {"given_name": "Bob", "family_name": 1' + b"0" * 5_000 + b"}}"),
        "line 2: line: The line holds a number too long to read.",
    ),
    "explicit_consent that is not a list": (
        "attack.jsonl",
        jsonl_around(
            json.dumps(
                {
                    "fields": {**BOB, "accessibility_needs": "Large print"},
                    "explicit_consent": "accessibility_needs",
                }
            ).encode()
        ),
        "line 2: explicit_consent: Give explicit_consent as a list of field names",
    ),
    "bytes that are not UTF-8": (
        "attack.csv",
        csv_around(b"Bob,M\xfcller,bob@example.com"),
        "line 3: line: The line is not UTF-8 text (byte 6 is not).",
    ),
    "more cells than the header": (
        "attack.csv",
        csv_around(b"Bob,Brown,bob@example.com,surplus"),
        "line 3: row: The row has 4 cells; the header names 3.",
    ),
    "a right-to-left override in a name": (
        "attack.csv",
        csv_around("Bo\u202eb,Brown,bob@example.com".encode()),
        "line 3: given_name: Remove the invisible character (U+202E RIGHT-TO-LEFT OVERRIDE) "
        "at position 3.",
    ),
    "a zero-width space in a name": (
        "attack.jsonl",
        jsonl_around(json.dumps({**BOB, "family_name": "Br\u200bown"}).encode()),
        "line 2: family_name: Remove the invisible character (U+200B ZERO WIDTH SPACE) "
        "at position 3.",
    ),
    "a lone surrogate in a name": (
        "attack.jsonl",
        jsonl_around(b'{"given_name": "Bob\\ud800", "family_name": "Brown"}'),
        "line 2: given_name: Remove the invisible character (U+D800 UNNAMED CHARACTER) "
        "at position 4.",
    ),
    "a line that is not an object": (
        "attack.jsonl",
        jsonl_around(b'["Bob", "Brown"]'),
        "line 2: line: The line is not a JSON object of field names to values.",
    ),
}


def no_trace(result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.parametrize("attack", list(ROW_ATTACKS))
def test_a_bad_row_is_named_by_its_line_and_only_it_is_refused(importing, run, attack) -> None:
    name, content, problem = ROW_ATTACKS[attack]
    result = importing(name, content)
    no_trace(result)
    assert result.exit_code == 2
    assert problem in result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "error: 1 rows had problems and were not saved"
    )
    assert "imported 2 customers; 0 rows already imported; 1 rows rejected" in result.stdout
    # The rows before and after the bad one, and nothing else.
    assert customers_held() == 2
    again = importing(name, content, "--json")
    report = json.loads(again.stdout)
    assert [("already_imported" in r, "errors" in r) for r in report["rows"]] == [
        (True, False),
        (False, True),
        (True, False),
    ]


FILE_ATTACKS = {
    "a binary file": (
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
        "the file is not UTF-8 text",
    ),
    "an empty file": (b"", "the CSV file has no header row naming the fields"),
    "a header naming a column twice": (
        b"given_name,email,email\nAda,ada@example.com,ada@example.com\n",
        "columns 2 and 3 of the header have the same name",
    ),
    "a header that is not UTF-8": (
        b"given_name,f\xe4mily_name\nAda,Lovelace\n",
        "line 1: the header row cannot be read: The line is not UTF-8 text",
    ),
}


@pytest.mark.parametrize("attack", list(FILE_ATTACKS))
def test_a_file_that_cannot_be_read_stops_in_one_line_saying_what_was_saved(
    importing, run, attack
) -> None:
    content, problem = FILE_ATTACKS[attack]
    result = importing("attack.csv", content)
    no_trace(result)
    assert result.exit_code == 2
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: attack.csv: ")
    assert problem in line
    assert line.endswith(
        "the import stopped: 0 customers from earlier lines were saved "
        "(0 rows already imported, 0 rejected)"
    )
    assert customers_held() == 0


def test_a_row_spanning_lines_is_named_by_the_line_it_starts_on(importing, run) -> None:
    content = (
        HEADER
        + ADA_CSV
        + 'Carol,"Shaw\nSmith",carol@example.com\n'  # lines 3 and 4: one row
        + "Bob,Brown,not-an-email\n"  # line 5
    ).encode()
    result = importing("quoted.csv", content)
    assert result.exit_code == 2
    assert "line 5: email: Enter an email address in the right format" in result.stderr
    assert "line 3" not in result.stderr and "line 4" not in result.stderr
    assert customers_held() == 2


def test_formula_like_values_are_kept_as_the_text_they_are(importing, run) -> None:
    content = (
        b"given_name,family_name,email,address_line1,town,postcode\n"
        b'Ada,Lovelace,ada@example.com,"=HYPERLINK(""http://example.com"",""x"")",'
        b"-London,SW1A 1AA\n"
    )
    result = importing("formulas.csv", content, "--json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)["rows"]
    shown = run(
        "customer", "show", row["customer_id"], "--as", "sam", "--purpose", "service", "--json"
    )
    assert shown.exit_code == 0, shown.output
    assert json.dumps('=HYPERLINK("http://example.com","x")') in shown.stdout
    assert json.dumps("-London") in shown.stdout
