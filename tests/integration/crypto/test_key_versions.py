"""A customer may hold several versions of their data key: values are sealed under the newest,
each names its version, and one version can be destroyed while the others are kept."""

from __future__ import annotations

import pytest
from sqlalchemy import event, select

from clientkeep.adapters.crypto.aead import DecryptionFailed, sealed_key_version
from clientkeep.adapters.crypto.keystore import (
    DataKeyDestroyed,
    DataKeyExists,
    DataKeyMissing,
    KeyStore,
    NewestKeyVersion,
)
from clientkeep.adapters.crypto.master_keys import MasterKeyError
from clientkeep.adapters.crypto.tables import data_key, key_version_destruction
from clientkeep.adapters.db._sealing import Sealer

PLACE = ("customer_field", "value", "email")


@pytest.fixture
def sealer(store):
    return Sealer(store)


def elsewhere(store) -> Sealer:
    """Another process's view of the same key store: its own, empty, cache."""
    return Sealer(KeyStore(store.engine, store.ring))


def test_a_new_customer_starts_on_version_1(sealer) -> None:
    made = sealer.new_customers(["cus_1"])["cus_1"]
    assert made.version == 1
    assert sealer.versions("cus_1") == [1]
    assert sealed_key_version(made.seal_text(*PLACE, "ada@example.org")) == 1


def test_a_value_sealed_under_v1_opens_after_v2_is_added(sealer, store) -> None:
    old = sealer.new_customers(["cus_1"])["cus_1"].seal_text(*PLACE, "ada@example.org")
    assert sealer.add_version("cus_1") == 2
    assert sealer.versions("cus_1") == [1, 2]
    for reader in (sealer, elsewhere(store)):
        cipher = reader.cipher("cus_1")
        assert cipher.version == 2
        assert cipher.open_text(*PLACE, old) == "ada@example.org"
        assert sealed_key_version(cipher.seal_text(*PLACE, "new")) == 2


def test_after_destroying_v1_a_v1_value_no_longer_opens_and_a_v2_value_still_does(
    sealer, store
) -> None:
    first = sealer.new_customers(["cus_1"])["cus_1"].seal_text(*PLACE, "erased")
    sealer.add_version("cus_1")
    kept = sealer.cipher("cus_1").seal_text(*PLACE, "kept")
    sealer.destroy("cus_1", version=1)
    assert sealer.versions("cus_1") == [2]
    for reader in (sealer, elsewhere(store)):
        cipher = reader.ciphers(["cus_1"])["cus_1"]
        assert cipher.open_text(*PLACE, kept) == "kept"
        with pytest.raises(DecryptionFailed):
            cipher.open_text(*PLACE, first)
    with store.engine.connect() as conn:
        assert conn.execute(select(key_version_destruction.c.version)).scalars().all() == [1]


def test_destroying_a_version_is_idempotent_and_its_number_is_never_used_again(
    sealer,
) -> None:
    sealer.new_customers(["cus_1"])
    sealer.add_version("cus_1")
    sealer.add_version("cus_1")
    sealer.destroy("cus_1", version=2)
    sealer.destroy("cus_1", version=2)
    assert sealer.versions("cus_1") == [1, 3]
    assert sealer.add_version("cus_1") == 4


def test_the_newest_version_is_not_destroyed_on_its_own(sealer) -> None:
    # New values would otherwise be sealed under an older version, perhaps the next to go.
    sealer.new_customers(["cus_1"])
    sealer.add_version("cus_1")
    with pytest.raises(NewestKeyVersion):
        sealer.destroy("cus_1", version=2)
    assert sealer.versions("cus_1") == [1, 2]


def test_destroying_every_version_keeps_the_customer_from_any_new_key(sealer, store) -> None:
    sealer.new_customers(["cus_1"])
    sealer.add_version("cus_1")
    sealer.destroy("cus_1")
    assert sealer.versions("cus_1") == []
    assert store.is_destroyed("cus_1")
    with pytest.raises(DataKeyDestroyed):
        sealer.add_version("cus_1")
    with pytest.raises(DataKeyDestroyed):
        sealer.new_customers(["cus_1"])
    with pytest.raises(DataKeyDestroyed):
        sealer.cipher("cus_1")


def test_a_customer_who_lost_only_their_first_version_is_not_new(sealer) -> None:
    sealer.new_customers(["cus_1"])
    sealer.add_version("cus_1")
    sealer.destroy("cus_1", version=1)
    with pytest.raises(DataKeyExists):
        sealer.new_customers(["cus_1"])
    assert sealer.versions("cus_1") == [2]


def test_a_version_is_only_added_to_a_customer_with_a_key(sealer) -> None:
    with pytest.raises(DataKeyMissing):
        sealer.add_version("nobody")


def test_a_version_added_by_another_process_is_found_by_a_cached_cipher(sealer, store) -> None:
    sealer.new_customers(["cus_1"])
    sealer.cipher("cus_1")  # version 1 is cached here
    other = elsewhere(store)
    other.add_version("cus_1")
    resealed = other.cipher("cus_1").seal_text(*PLACE, "kept")
    cipher = sealer.cipher("cus_1")
    assert cipher.version == 1  # still the cached keys
    assert cipher.open_text(*PLACE, resealed) == "kept"
    assert cipher.version == 2  # and what it seals now goes under the newer version


def test_a_wrapped_key_moved_to_another_version_does_not_open(sealer, store) -> None:
    sealer.new_customers(["cus_1"])
    sealer.add_version("cus_1")
    dk = data_key.c
    with store.engine.begin() as conn:
        first = conn.scalar(
            select(dk.wrapped_key).where(dk.customer_id == "cus_1", dk.version == 1)
        )
        conn.execute(
            data_key.update()
            .where(dk.customer_id == "cus_1", dk.version == 2)
            .values(wrapped_key=first)
        )
    with pytest.raises(MasterKeyError):
        elsewhere(store).cipher("cus_1")


def count_queries(engine) -> list[str]:
    seen: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


def test_many_customers_keys_take_one_query_per_500_and_none_once_cached(sealer, store) -> None:
    ids = [f"cus_{i:04d}" for i in range(700)]
    sealer.new_customers(ids)
    for customer_id in ids[:300]:
        sealer.add_version(customer_id)
    fresh = elsewhere(store)
    seen = count_queries(store.engine)
    ciphers = fresh.ciphers(ids)
    assert len([q for q in seen if "FROM data_key" in q]) == 2
    assert {c.version for i, c in ciphers.items() if i in ids[:300]} == {2}
    assert {c.version for i, c in ciphers.items() if i in ids[300:]} == {1}
    seen.clear()
    fresh.ciphers(ids)
    assert seen == []
