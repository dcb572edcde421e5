import os

import pytest

from clientkeep.adapters.crypto.aead import CustomerCipher
from clientkeep.adapters.crypto.keystore import KeyStore
from clientkeep.adapters.crypto.master_keys import MasterKeyError, MasterKeyRing

V1, V2 = os.urandom(32), os.urandom(32)


class Interrupted(Exception):
    pass


@pytest.fixture
def filled(make_store):
    """Seven customers and two secrets, all wrapped under version 1."""
    old = make_store(MasterKeyRing({1: V1}))
    keys = {f"cust-{i}": old.create_data_key(f"cust-{i}") for i in range(7)}
    made = {name: old.secret(name) for name in ("blind-index", "web-session")}
    return keys, made


def test_rotation_rewraps_everything_and_old_data_still_opens(make_store, filled):
    keys, made = filled
    sealed = CustomerCipher("cust-3", keys["cust-3"]).seal_text("t", "c", "r", "Ada")
    new = make_store(MasterKeyRing({1: V1, 2: V2}))
    assert new.stale_count() == 9
    seen = []
    report = new.rotate(batch_size=3, progress=lambda done, total: seen.append((done, total)))
    assert (report.target_version, report.data_keys_rewrapped, report.secrets_rewrapped) == (
        2,
        7,
        2,
    )
    assert report.data_keys_by_version == {2: 7}
    assert report.secrets_by_version == {2: 2}
    assert seen[-1] == (9, 9)
    # Version 1 is no longer needed at all.
    only_v2 = make_store(MasterKeyRing({2: V2}))
    assert only_v2.data_keys(keys) == keys
    assert {n: only_v2.secret(n) for n in made} == made
    opened = CustomerCipher("cust-3", only_v2.data_key("cust-3")).open_text("t", "c", "r", sealed)
    assert opened == "Ada"


def test_an_interrupted_rotation_resumes_where_it_stopped(make_store, filled):
    keys, _ = filled
    new = make_store(MasterKeyRing({1: V1, 2: V2}))

    def stop_after_first_batch(done, total):
        raise Interrupted

    with pytest.raises(Interrupted):
        new.rotate(batch_size=3, progress=stop_after_first_batch)
    assert new.count_by_version() == {1: 4, 2: 3}  # the first batch was committed
    report = new.rotate(batch_size=3)
    assert report.data_keys_rewrapped == 4
    assert report.secrets_rewrapped == 2
    assert new.count_by_version() == {2: 7}
    assert make_store(MasterKeyRing({2: V2})).data_keys(keys) == keys


def test_rotating_again_when_all_is_current_does_nothing(make_store, filled):
    report = make_store(MasterKeyRing({1: V1})).rotate()
    assert (report.data_keys_rewrapped, report.secrets_rewrapped) == (0, 0)


def test_rotation_without_the_old_version_stops_with_a_clear_error(make_store, filled):
    with pytest.raises(MasterKeyError, match="version 1"):
        make_store(MasterKeyRing({2: V2})).rotate()


def test_the_cache_survives_rotation(make_store, filled):
    keys, _ = filled
    new = make_store(MasterKeyRing({1: V1, 2: V2}))
    assert new.data_key("cust-0") == keys["cust-0"]
    new.rotate()
    assert new.data_key("cust-0") == keys["cust-0"]
    assert KeyStore(new.engine, new.ring).data_key("cust-0") == keys["cust-0"]


def every_version(store, customers):
    return {c: dict(k.versions) for c, k in store.customer_keys(customers).items()}


def test_rotation_rewraps_every_version_of_every_key_and_resumes(make_store) -> None:
    old = make_store(MasterKeyRing({1: V1}))
    customers = ["cust-a", "cust-b", "cust-c"]
    for c in customers:
        old.create_data_key(c)
    old.add_version("cust-a")
    old.add_version("cust-a")
    old.add_version("cust-b")
    before = every_version(old, customers)
    assert sum(len(v) for v in before.values()) == 6
    new = make_store(MasterKeyRing({1: V1, 2: V2}))
    assert new.stale_count() == 6

    def stop_after_first_batch(done, total):
        raise Interrupted

    with pytest.raises(Interrupted):
        new.rotate(batch_size=4, progress=stop_after_first_batch)
    assert new.count_by_version() == {1: 2, 2: 4}
    assert new.rotate(batch_size=4).data_keys_rewrapped == 2
    assert new.count_by_version() == {2: 6}
    assert every_version(make_store(MasterKeyRing({2: V2})), customers) == before
