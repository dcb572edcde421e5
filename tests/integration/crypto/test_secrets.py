import os

import pytest

from clientkeep.adapters.crypto.keystore import KeyStore
from clientkeep.adapters.crypto.master_keys import MasterKeyError, MasterKeyRing


def test_a_secret_is_made_on_first_use_and_then_kept(store):
    first = store.secret("blind-index")
    assert len(first) == 32
    assert KeyStore(store.engine, store.ring).secret("blind-index") == first
    assert store.secret("web-session") != first
    assert store.secret_count_by_version() == {1: 2}


def test_a_secret_needs_the_right_master_key(make_store, store):
    store.secret("web-session")
    stranger = make_store(MasterKeyRing({1: os.urandom(32)}))
    with pytest.raises(MasterKeyError, match="does not open"):
        stranger.secret("web-session")


def test_a_secret_and_a_customer_with_the_same_name_do_not_mix(store):
    assert store.secret("x") != store.create_data_key("x")
    assert KeyStore(store.engine, store.ring).data_key("x") != store.secret("x")
