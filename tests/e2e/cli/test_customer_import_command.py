"""`clientkeep customer import FILE`: CSV or JSON lines in, bad rows named, exit codes kept."""

from __future__ import annotations

import json

PASSWORD = "a sound long password"


def add_supervisor(run) -> None:
    result = run(
        "user", "add", "sam", "--role", "supervisor", "--password-stdin", input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output


def find(run, kind: str, text: str) -> list:
    result = run(
        "customer", "find", "--as", "sam", "--purpose", "service", f"--{kind}", text, "--json"
    )
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    # The command's answer is being renamed to the API's ("items"); either is a list of matches.
    return found["items"] if "items" in found else found["matches"]


def test_a_csv_file_is_imported_and_its_customers_are_found(initialised, run, tmp_path) -> None:
    add_supervisor(run)
    path = tmp_path / "customers.csv"
    path.write_text(
        "given_name,family_name,email,phone,accessibility_needs,explicit_consent\n"
        "Ada,Lovelace,ada@example.com,020 7946 0018,,\n"
        "Grace,Hopper,grace@example.com,,Large print,accessibility_needs\n"
    )
    result = run("customer", "import", str(path), "--as", "sam", "--purpose", "service")
    assert result.exit_code == 0, result.output
    assert "imported 2 customers" in result.output
    assert len(find(run, "email", "GRACE@example.com")) == 1


def test_bad_rows_are_named_without_their_values_and_exit_non_zero(
    initialised, run, tmp_path
) -> None:
    add_supervisor(run)
    path = tmp_path / "customers.jsonl"
    rows = [
        {"fields": {"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"}},
        {"fields": {"given_name": "Bad", "family_name": "Row", "email": "secret-not-an-email"}},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = run("customer", "import", str(path), "--as", "sam", "--purpose", "service")
    assert result.exit_code == 2
    assert "imported 1 customers" in result.output
    assert "line 2: email: Enter an email address" in result.output
    assert "secret-not-an-email" not in result.output
    assert len(find(run, "email", "ada@example.com")) == 1


def test_a_line_that_is_not_json_rejects_only_its_row(initialised, run, tmp_path) -> None:
    add_supervisor(run)
    path = tmp_path / "customers.jsonl"
    path.write_text(
        '{"fields": {"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"}}'
        "\nnot json at all\n"
    )
    result = run("customer", "import", str(path), "--as", "sam", "--purpose", "service")
    # One line that is not JSON rejects its row only: the first row is saved.
    assert result.exit_code == 2
    assert "line 2: line: The line is not valid JSON (column 1)." in result.output
    assert "imported 1 customers" in result.output
    missing = run("customer", "import", str(tmp_path / "nope.csv"), "--as", "sam",
                  "--purpose", "service")  # fmt: skip
    assert missing.exit_code == 2 and "no such file" in missing.output
