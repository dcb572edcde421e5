"""Duty 6: erasing a customer's rows of a kind leaves nothing of them: the kind reports none,
no table of the kind holds a row with their id, and on SQLite (secure_delete is on) the sealed
bytes they had are gone from the database file and its WAL once checkpointed. Erasing chosen
rows takes those and nothing derived from them, and leaves the rest readable."""

from __future__ import annotations

from clientkeep.adapters.db.record_kind_tables import KIND_TABLES
from tests.integration.record_kinds._storage import (
    checkpointed_main_database,
    count_of,
    sealed_cells,
)


def erase(container, kind, customer_id, row_ids=None) -> int:
    with container.uow() as uow:
        gone = kind.erase(uow, customer_id, row_ids)
        uow.commit()
    return gone


def test_erasing_a_customer_leaves_none_of_their_rows_or_sealed_bytes(
    container, backend, kind, driver, canaries
) -> None:
    made, other = driver.make(canaries), driver.make(canaries)
    customer_id = made.customer_id
    with container.uow().reading() as uow:
        before = kind.rows(uow, customer_id)
        others = kind.pack(uow, other.customer_id)
    blobs = [c.blob for c in sealed_cells(container, kind.name, customer_id)]
    assert before and blobs

    assert erase(container, kind, customer_id) == len(before)

    with container.uow().reading() as uow:
        assert kind.rows(uow, customer_id) == []
        assert kind.pack(uow, other.customer_id) == others
    for table in KIND_TABLES[kind.name].tables:
        assert count_of(container, table, customer_id) == 0, table.name
    if backend == "sqlite":
        stored = checkpointed_main_database(container)
        assert [b for b in blobs if b in stored] == []
        # The scan would see them: the other customer's sealed bytes are all there.
        assert all(c.blob in stored for c in sealed_cells(container, kind.name, other.customer_id))


def rows_to_erase(container, kind, driver, customer_id):
    """The rows about the given name (as erasing one field would choose them); for a kind
    holding no field's value, its first row."""
    given_name = container.policy.field_roles.given_name
    with container.uow().reading() as uow:
        rows = kind.rows(uow, customer_id)
    about_name = [r for r in rows if given_name in r.fields]
    # A kind holding no field's value, or only notes (feedback): its first row.
    if not driver.holds_values or not about_name:
        return rows, rows[:1]
    return rows, about_name


def test_erasing_chosen_rows_takes_only_those(container, kind, driver, canaries) -> None:
    made = driver.make(canaries)
    before, chosen = rows_to_erase(container, kind, driver, made.customer_id)
    assert chosen and len(chosen) < len(before)

    assert erase(container, kind, made.customer_id, [r.row_id for r in chosen]) == len(chosen)

    with container.uow().reading() as uow:
        after = kind.rows(uow, made.customer_id)
        packed = kind.pack(uow, made.customer_id)
    assert sorted(r.row_id for r in after) == sorted(r.row_id for r in before if r not in chosen)
    assert len(packed) == len(after)
    assert erase(container, kind, made.customer_id, []) == 0


def test_erasing_chosen_rows_leaves_nothing_derived_from_them(
    container, kind, driver, canaries
) -> None:
    made = driver.make(canaries)
    _, chosen = rows_to_erase(container, kind, driver, made.customer_id)
    assert driver.stale_derived_rows(made.customer_id) == set()

    erase(container, kind, made.customer_id, [r.row_id for r in chosen])

    assert driver.stale_derived_rows(made.customer_id) == set()
