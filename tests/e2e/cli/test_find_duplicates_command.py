"""`clientkeep customer find-duplicates` scans the whole book and queues likely duplicates."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete

from clientkeep import bootstrap
from clientkeep.adapters.db.customer_tables import duplicate_suspect
from clientkeep.config import load_settings
from tests.e2e.cli.test_customer_commands import ADA, add_customer, add_staff


def forget_suspects() -> None:
    """As a bulk import that skips the per-record check leaves the queue: empty."""
    c = bootstrap.build(load_settings())
    try:
        with c.engine.begin() as conn:
            conn.execute(delete(duplicate_suspect))
    finally:
        c.close()


def review(run) -> list[dict]:
    result = run("customer", "review", "--as", "sam", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["duplicates"]


@pytest.fixture
def book(initialised, run) -> tuple[str, str]:
    add_staff(run)
    first = add_customer(run, {**ADA, "date_of_birth": "1985-12-10"})
    swapped = {
        **ADA,
        "given_name": "Lovelace",
        "family_name": "Ada",
        "email": "al@example.net",
        "phone": "07700 123401",
        "date_of_birth": "1985-12-10",
    }
    second = add_customer(run, swapped)
    add_customer(run, {"given_name": "Grace", "family_name": "Hopper", "phone": "07700 123402"})
    forget_suspects()
    return first["id"], second["id"]


def test_it_queues_the_pairs_it_finds_and_prints_the_counts(book, run) -> None:
    result = run("customer", "find-duplicates")
    assert result.exit_code == 0, result.output
    assert "queued 1 likely duplicates" in result.stdout
    assert [{d["customer_id"], d["other_id"]} for d in review(run)] == [set(book)]


def test_a_second_run_queues_nothing_new(book, run) -> None:
    run("customer", "find-duplicates", "--batch", "1")
    result = run("customer", "find-duplicates", "--as", "sam", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["suspects_recorded"] == 0 and report["already_in_queue"] == 1
    assert {report["pairs"][0]["customer_id"], report["pairs"][0]["other_id"]} == set(book)
    assert "Lovelace" not in result.stdout
    assert len(review(run)) == 1


def test_a_bad_batch_size_is_one_line_and_exit_2(book, run) -> None:
    result = run("customer", "find-duplicates", "--batch", "0")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "batch" in result.stderr


def test_an_agent_may_not_scan(book, run) -> None:
    result = run("customer", "find-duplicates", "--as", "ann")
    assert result.exit_code == 3
    assert "review queue" in result.stderr
    assert review(run) == []
