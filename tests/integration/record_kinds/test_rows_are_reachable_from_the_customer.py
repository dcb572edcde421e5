"""Duty 7: every row of a kind is reachable from its customer's id, so an access pack or an
erasure that starts from the id misses nothing. After registering, merging and erasing, each
of the kind's row tables holds exactly the rows the kind reports for each customer, and its
derived tables (blind-index tokens) hold nothing for a customer without rows of the kind, nor
anything the customer's values would not produce."""

from __future__ import annotations

from tests.integration.record_kinds._storage import (
    count_of,
    customers_in,
    derived_tables,
    row_tables,
)
from tests.integration.record_kinds.test_rows_move_on_merge import merge


def test_every_stored_row_is_one_the_kind_reports_for_its_customer(
    container, kind, driver, canaries, personas
) -> None:
    kept = driver.make(canaries).customer_id
    merged = driver.make(canaries, as_duplicate=True).customer_id
    erased = driver.make(canaries).customer_id
    merge(container, personas.supervisor, kept, merged, driver.take_from_duplicate)
    with container.uow() as uow:
        kind.erase(uow, erased)
        uow.commit()

    with container.uow().reading() as uow:
        rows = {cid: kind.rows(uow, cid) for cid in (kept, merged, erased)}
    assert rows[kept] and not rows[merged] and not rows[erased]
    assert row_tables(kind.name)
    head, *parts = row_tables(kind.name)
    for customer_id, reported in rows.items():
        assert count_of(container, head, customer_id) == len(reported), head.name
    # A kind whose rows have parts in tables of their own (a complaint's steps): the parts
    # are held only for a customer who has rows, and go with them.
    for table in parts:
        for customer_id, reported in rows.items():
            assert bool(count_of(container, table, customer_id)) == bool(reported), table.name

    for table in derived_tables(kind.name):
        with container.uow().reading() as uow:
            orphaned = {c for c in customers_in(container, table) if not kind.rows(uow, c)}
        assert orphaned == set(), table.name
    assert driver.stale_derived_rows(kept) == set()
