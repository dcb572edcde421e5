import pytest
from sqlalchemy import select

from clientkeep.adapters.crypto.aead import CustomerCipher, DecryptionFailed
from clientkeep.adapters.crypto.keystore import (
    DataKeyDestroyed,
    DataKeyExists,
    DataKeyMissing,
    KeyStore,
)
from clientkeep.adapters.crypto.master_keys import MasterKeyError
from clientkeep.adapters.crypto.tables import data_key, key_destruction


def test_a_data_key_is_made_once_and_read_back(store):
    made = store.create_data_key("cust-1")
    assert len(made) == 32
    assert store.data_key("cust-1") == made
    assert KeyStore(store.engine, store.ring).data_key("cust-1") == made  # not from the cache
    with pytest.raises(DataKeyExists):
        store.create_data_key("cust-1")


def test_the_stored_key_is_wrapped_not_plain(store):
    made = store.create_data_key("cust-1")
    with store.engine.connect() as conn:
        version, blob = conn.execute(
            select(data_key.c.master_version, data_key.c.wrapped_key)
        ).one()
    assert version == 1
    assert made not in bytes(blob)


def test_a_key_never_made_is_missing(store):
    with pytest.raises(DataKeyMissing):
        store.data_key("nobody")


def test_keys_come_in_batches(store):
    made = {c: store.create_data_key(c) for c in ("a", "b", "c")}
    fresh = KeyStore(store.engine, store.ring)
    assert fresh.data_keys(["a", "b", "c", "a"]) == made
    with pytest.raises(DataKeyMissing):
        fresh.data_keys(["a", "zzz"])
    assert fresh.data_keys(["a", "zzz"], skip_missing=True) == {"a": made["a"]}


def test_destroying_a_key_makes_the_customers_data_unreadable(store):
    key = store.create_data_key("cust-1")
    sealed = CustomerCipher("cust-1", key).seal_text("customer_field", "value", "r1", "Ada")
    store.destroy("cust-1")
    for reader in (store, KeyStore(store.engine, store.ring)):
        with pytest.raises(DataKeyDestroyed):
            reader.data_key("cust-1")
    with store.engine.connect() as conn:
        assert conn.execute(select(data_key)).all() == []
        assert conn.scalar(select(key_destruction.c.customer_id)) == "cust-1"
    # Only a different key is left to try, and it opens nothing.
    with pytest.raises(DecryptionFailed):
        CustomerCipher("cust-1", bytes(32)).open_text("customer_field", "value", "r1", sealed)


def test_destroying_is_idempotent_and_the_customer_gets_no_new_key(store):
    store.create_data_key("cust-1")
    store.destroy("cust-1")
    store.destroy("cust-1")
    assert store.is_destroyed("cust-1")
    assert store.destroyed_count() == 1
    with pytest.raises(DataKeyDestroyed):
        store.create_data_key("cust-1")
    with pytest.raises(DataKeyDestroyed):
        store.data_keys(["cust-1"])


def test_destroying_invalidates_the_cache(store):
    store.create_data_key("cust-1")
    store.data_key("cust-1")  # now cached
    store.destroy("cust-1")
    with pytest.raises(DataKeyDestroyed):
        store.data_key("cust-1")


def test_the_cache_is_bounded(store):
    small = KeyStore(store.engine, store.ring, cache_size=2)
    for c in ("a", "b", "c"):
        small.create_data_key(c)
    assert len(small._cache) == 2
    assert small.data_key("a") == store.data_key("a")


def test_a_wrapped_key_moved_to_another_customer_does_not_open(store):
    store.create_data_key("cust-1")
    store.create_data_key("cust-2")
    with store.engine.begin() as conn:
        blob = conn.scalar(select(data_key.c.wrapped_key).where(data_key.c.customer_id == "cust-1"))
        conn.execute(
            data_key.update().where(data_key.c.customer_id == "cust-2").values(wrapped_key=blob)
        )
    with pytest.raises(MasterKeyError):
        KeyStore(store.engine, store.ring).data_key("cust-2")
