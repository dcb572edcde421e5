"""Duty 1: a kind's values are sealed at rest. Canary words are written into every value, then
looked for in the raw storage: on SQLite the bytes of the main database, its WAL and the key
store; on PostgreSQL the text of every row of every table, the kind's among them."""

from __future__ import annotations

from clientkeep.adapters.db.record_kind_tables import KIND_TABLES
from tests.integration.record_kinds._storage import (
    canaries_found,
    count_of,
    postgres_tables,
    put,
    sealed_cells,
)


def test_no_canary_written_to_the_kind_is_stored_in_plaintext(
    container, backend, kind, driver, canaries
) -> None:
    made = driver.make(canaries)
    tables = KIND_TABLES[kind.name].tables
    # The scan looks at rows that are there, in tables it reaches.
    assert all(count_of(container, t, made.customer_id) for t in tables)
    if backend == "postgres":
        assert {t.name for t in tables} <= set(postgres_tables(container))
    assert set(made.words) <= set(canaries.words)
    assert made.words or not driver.holds_values
    assert canaries_found(container, backend, canaries.words) == set()


def test_the_scan_sees_a_value_stored_in_plaintext_in_each_sealed_column(
    container, backend, kind, driver, canaries
) -> None:
    made = driver.make(canaries)
    planted = {}
    for cell in sealed_cells(container, kind.name, made.customer_id):
        if (cell.table.name, cell.column) not in planted:
            planted[cell.table.name, cell.column] = word = canaries.word()
            put(container, cell, f"plain {word}".encode())
    assert len(planted) == sum(map(len, KIND_TABLES[kind.name].sealed.values()))
    found = {w for _, w in canaries_found(container, backend, canaries.words)}
    assert found == set(planted.values())
