"""Keys of customer ids that never reached the main database (a registration rolled back) are
swept once older than a grace period; a registration in progress, a live customer and a merged
one never lose theirs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from clientkeep.adapters.crypto.keystore import KeyStore
from clientkeep.adapters.db import key_sweep
from clientkeep.customers.model import Customer
from clientkeep.shared.ids import new_id

from ._records import add_customer, key_store_down, merge

LATER = timedelta(hours=2)  # every key made in a test is past the grace period by then


def rolled_back_registration(container) -> str:
    customer_id = new_id("cus")
    now = container.clock.now()
    with container.uow() as uow:
        uow.customers.add(Customer(customer_id, now, now), [])  # its key is made here
    return customer_id


def orphans(container, *, now=None) -> list[str]:
    when = now or datetime.now(UTC) + LATER
    found = key_sweep.orphans(container.engine, container.keystore, now=when, grace=key_sweep.GRACE)
    return list(found)


def test_a_rolled_back_registration_leaves_an_orphan_that_the_sweep_destroys(container) -> None:
    live = add_customer(container)
    orphan = rolled_back_registration(container)
    assert container.keystore.versions(orphan) == [1]
    assert orphans(container) == [orphan]
    swept = key_sweep.sweep(container.engine, container.keystore, now=datetime.now(UTC) + LATER)
    assert swept == key_sweep.Swept(0, 0, 1, 0)
    assert container.keystore.versions(orphan) == []
    assert container.keystore.versions(live) == [1]


def test_sweeping_again_changes_nothing(container) -> None:
    add_customer(container)
    rolled_back_registration(container)
    later = datetime.now(UTC) + LATER
    key_sweep.sweep(container.engine, container.keystore, now=later)
    destroyed = container.keystore.destroyed_count()
    assert key_sweep.sweep(container.engine, container.keystore, now=later) == (
        key_sweep.Swept(0, 0, 0, 0)
    )
    assert container.keystore.destroyed_count() == destroyed


def test_a_key_within_the_grace_period_is_not_an_orphan(container) -> None:
    add_customer(container)
    in_progress = rolled_back_registration(container)
    assert orphans(container, now=datetime.now(UTC)) == []
    key_sweep.sweep(container.engine, container.keystore, now=datetime.now(UTC))
    assert container.keystore.versions(in_progress) == [1]


def test_a_registration_in_progress_keeps_its_key_and_completes(container) -> None:
    add_customer(container)
    customer_id = new_id("cus")
    now = container.clock.now()
    with container.uow() as uow:
        uow.customers.add(Customer(customer_id, now, now), [])
        # Meanwhile, from elsewhere: the sweep neither waits for this unit nor takes the key.
        key_sweep.sweep(container.engine, container.keystore, now=datetime.now(UTC))
        uow.commit()
    assert container.keystore.versions(customer_id) == [1]


def test_live_and_merged_customers_are_never_orphans(container, tmp_path) -> None:
    survivor, duplicate = add_customer(container), add_customer(container)
    with key_store_down(container, tmp_path):
        merge(container, duplicate, survivor)  # its destruction is left pending
    assert orphans(container) == []
    swept = key_sweep.sweep(container.engine, container.keystore, now=datetime.now(UTC) + LATER)
    assert swept == key_sweep.Swept(1, 0, 0, 0)  # the merged one went through its request
    assert container.keystore.versions(survivor) == [1]


def test_orphans_are_compared_in_batches(container, monkeypatch) -> None:
    monkeypatch.setattr(key_sweep, "_BATCH", 3)
    kept = [add_customer(container) for _ in range(4)]
    lost = sorted(rolled_back_registration(container) for _ in range(5))
    assert sorted(orphans(container)) == lost
    key_sweep.sweep(container.engine, container.keystore, now=datetime.now(UTC) + LATER)
    assert all(container.keystore.versions(c) == [1] for c in kept)
    assert all(container.keystore.versions(c) == [] for c in lost)


def test_beside_a_main_database_with_no_customers_orphans_are_left_alone(container) -> None:
    # Most likely the wrong database: every key would look orphaned.
    stranger = KeyStore(container.keystore.engine, container.keystore.ring)
    stranger.create_data_key(new_id("cus"))
    swept = key_sweep.sweep(container.engine, container.keystore, now=datetime.now(UTC) + LATER)
    assert (swept.orphans_removed, swept.orphans_left) == (0, 1)
    assert swept.refused and "CLIENTKEEP_DATABASE_URL" in swept.refused
    assert container.keystore.destroyed_count() == 0


def test_the_grace_period_cannot_be_made_too_short(container) -> None:
    with pytest.raises(ValueError, match="grace"):
        list(
            key_sweep.orphans(
                container.engine,
                container.keystore,
                now=datetime.now(UTC),
                grace=timedelta(minutes=1),
            )
        )
