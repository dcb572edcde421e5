"""Duty 4: merging moves every row of the kind from the duplicate to the survivor, resealed
under the survivor's key (the duplicate's key is destroyed, so nothing left under it opens)."""

from __future__ import annotations

from clientkeep.adapters.db.record_kind_tables import KIND_TABLES
from clientkeep.customers import services as customers
from tests.integration.record_kinds._storage import audit_events, count_of


def merge(container, persona, survivor_id, duplicate_id, take) -> None:
    customers.merge(
        survivor_id,
        customers.MergeCustomers(
            duplicate_id=duplicate_id,
            reason="the same person registered twice",
            purpose="service",
            take_from_duplicate=take,
        ),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=container.record_kinds,
    )


def test_merging_moves_the_duplicates_rows_to_the_survivor_under_its_key(
    container, kind, driver, canaries, personas
) -> None:
    survivor = driver.make(canaries).customer_id
    duplicate = driver.make(canaries, as_duplicate=True).customer_id
    with container.uow().reading() as uow:
        survivor_before, duplicate_before = kind.pack(uow, survivor), kind.pack(uow, duplicate)
    assert duplicate_before

    merge(container, personas.supervisor, survivor, duplicate, driver.take_from_duplicate)

    with container.uow().reading() as uow:
        assert kind.rows(uow, duplicate) == []
        # Opened with the survivor's key and bound to the survivor's id.
        survivor_after = kind.pack(uow, survivor)
    assert {p.ref.customer_id for p in survivor_after} == {survivor}
    driver.check_merged(survivor_before, duplicate_before, survivor_after)
    assert all(count_of(container, t, duplicate) == 0 for t in KIND_TABLES[kind.name].tables)
    [event] = audit_events(container, "customer.merged", survivor)
    assert event.entry.detail[f"moved_{kind.name}"] == len(duplicate_before)
