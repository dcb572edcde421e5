"""Long commands say how far they have got: on a terminal a bar; in a log (stderr not a
terminal, as here) plain lines on stderr, at most every CLIENTKEEP_PROGRESS_INTERVAL seconds,
and a final line with the count and the time taken. Standard output keeps only the report."""

from __future__ import annotations

import json
import re

import pytest

PASSWORD = "a long enough passphrase for tests"
# "Label: 3 customers, 120 customers/s" with the total unknown, then "Label: 3 customers in 0.1 s".
LINE = r"{label}: {count} {unit}( of {count})?( \(\d+%\))?, [\d,]+ {unit}/s(, about .+ left)?"
FINAL = r"{label}: {count} {unit} in [\d.]+ (s|min \d+ s)"


@pytest.fixture
def book(initialised, run, monkeypatch) -> None:
    monkeypatch.setenv("CLIENTKEEP_PROGRESS_INTERVAL", "0")
    added = run("user", "add", "sam", "--role", "supervisor", "--password-stdin",
                input=PASSWORD + "\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    for n, given in enumerate(("Ada", "Adah", "Grace")):
        person = run(
            "customer", "add", "--as", "sam", "--purpose", "service", "--source", "phone",
            "--field", f"given_name={given}", "--field", "family_name=Lovelace",
            "--field", f"email=person{n}@example.org", "--field", "date_of_birth=1990-12-10",
            "--field", "postcode=SW1A 1AA",
        )  # fmt: skip
        assert person.exit_code == 0, person.output


def lines(result) -> list[str]:
    return result.stderr.strip().splitlines()


def test_reindex_reports_each_batch_then_the_total(book, run) -> None:
    result = run("db", "reindex", "--batch", "1", "--json")
    assert result.exit_code == 0, result.output
    said = lines(result)
    # One line per batch (the interval is 0), counting up, then the final one.
    counts = [int(m.group(1)) for m in map(re.compile(r"Reindexing customers: (\d+) ").match, said)
              if m]  # fmt: skip
    assert counts == [1, 2, 3, 3]
    for line in said[:-1]:
        assert re.fullmatch(LINE.format(label="Reindexing customers", count=r"\d+",
                                        unit="customers"), line), line  # fmt: skip
    assert re.fullmatch(FINAL.format(label="Reindexing customers", count="3", unit="customers"),
                        said[-1]), said[-1]  # fmt: skip
    assert json.loads(result.stdout)["customers"] == 3


def test_audit_verify_counts_events_against_the_head(book, run) -> None:
    result = run("audit", "verify", "--json")
    assert result.exit_code == 0, result.output
    head = json.loads(result.stdout)["head_seq"]
    said = lines(result)
    assert said[-1].startswith(f"Verifying the audit trail: {head:,} events in ")
    # Progress is told every 10,000 events: a small trail has its count once, of the head.
    assert said[0].startswith(f"Verifying the audit trail: {head:,} of {head:,} events (100%)")


def test_the_duplicate_scan_says_how_far_through_the_book_it_is(book, run) -> None:
    result = run("customer", "find-duplicates", "--json")
    assert result.exit_code == 0, result.output
    said = lines(result)
    assert said and all(line.startswith("Finding duplicates: ") for line in said)
    assert re.search(r"\(100%\)", said[-2]), said
    assert re.fullmatch(r"Finding duplicates: \d+ pairs compared in [\d.]+ s", said[-1])
    assert json.loads(result.stdout)["pairs_compared"] >= 1


def test_key_rotation_counts_keys_against_what_was_pending(book, run) -> None:
    result = run("keys", "rotate", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    rewrapped = report["data_keys_rewrapped"] + report["secrets_rewrapped"]
    said = lines(result)
    assert said[-1].startswith(f"Re-wrapping keys: {rewrapped:,} keys in ")
    assert f"{rewrapped:,} of {rewrapped:,} keys (100%)" in said[-2]


def test_within_the_interval_only_the_final_line_is_printed(book, run, monkeypatch) -> None:
    monkeypatch.setenv("CLIENTKEEP_PROGRESS_INTERVAL", "3600")
    result = run("db", "reindex", "--batch", "1")
    assert result.exit_code == 0, result.output
    said = lines(result)
    assert len(said) == 1 and said[0].startswith("Reindexing customers: 3 customers in ")
    assert "reindexed 3 customers" in result.stdout
