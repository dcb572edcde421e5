"""Values name the data-key version they were sealed under; a cipher opens every version the
customer still holds and seals under the newest."""

from __future__ import annotations

import os

import pytest

from clientkeep.adapters.crypto.aead import (
    CustomerCipher,
    CustomerKeys,
    DecryptionFailed,
    associated_data,
    seal,
    sealed_key_version,
)

V1, V2, V3 = os.urandom(32), os.urandom(32), os.urandom(32)
PLACE = ("customer_field", "value", "email")


def cipher(versions: dict[int, bytes], reload=None) -> CustomerCipher:
    return CustomerCipher("cus_1", CustomerKeys("cus_1", versions, reload))


def test_a_new_value_carries_the_newest_version_in_its_header() -> None:
    blob = cipher({1: V1, 2: V2}).seal_text(*PLACE, "ada@example.org")
    assert blob[:5] == b"\x02\x00\x00\x00\x02"
    assert sealed_key_version(blob) == 2
    assert len(blob) == 5 + 12 + len("ada@example.org") + 16


def test_a_value_sealed_under_version_1_opens_after_version_2_is_added() -> None:
    old = cipher({1: V1}).seal_text(*PLACE, "ada@example.org")
    both = cipher({1: V1, 2: V2})
    assert both.version == 2
    assert both.open_text(*PLACE, old) == "ada@example.org"
    assert sealed_key_version(both.seal_text(*PLACE, "new")) == 2


def test_a_value_under_a_version_no_longer_held_does_not_open() -> None:
    old = cipher({1: V1, 2: V2}).seal_text(*PLACE, "x")  # under version 2
    first = cipher({1: V1}).seal_text(*PLACE, "y")
    after_partial_erasure = cipher({2: V2, 3: V3})
    assert after_partial_erasure.open_text(*PLACE, old) == "x"
    with pytest.raises(DecryptionFailed):
        after_partial_erasure.open_text(*PLACE, first)


def test_values_in_the_first_format_open_as_key_version_1() -> None:
    # What every value written before key versions existed looks like.
    legacy = seal(V1, b"Ada", associated_data(*PLACE, "cus_1"))
    assert legacy[0] == 1 and sealed_key_version(legacy) == 1
    assert CustomerCipher("cus_1", V1).open_text(*PLACE, legacy) == "Ada"
    assert cipher({1: V1, 2: V2}).open_text(*PLACE, legacy) == "Ada"
    with pytest.raises(DecryptionFailed):
        cipher({2: V2}).open_text(*PLACE, legacy)


def test_a_single_key_is_version_1() -> None:
    mine = CustomerCipher("cus_1", V1)
    blob = mine.seal_text(*PLACE, "Ada")
    assert mine.version == 1 and sealed_key_version(blob) == 1
    assert cipher({1: V1}).open_text(*PLACE, blob) == "Ada"


def test_changing_the_version_in_a_header_fails() -> None:
    both = cipher({1: V1, 2: V2})
    blob = bytearray(both.seal_text(*PLACE, "Ada"))
    blob[4] = 1  # now claims version 1
    with pytest.raises(DecryptionFailed):
        both.open_text(*PLACE, bytes(blob))
    blob[0] = 7  # an unknown format
    with pytest.raises(DecryptionFailed):
        both.open_text(*PLACE, bytes(blob))
    with pytest.raises(DecryptionFailed):
        both.open_text(*PLACE, b"\x02\x00\x00")


def test_a_version_newer_than_the_keys_held_reloads_them_and_seals_under_it_from_then() -> None:
    # Another process added version 2 and re-sealed under it after these keys were cached.
    newer = cipher({1: V1, 2: V2}).seal_text(*PLACE, "kept")
    reloads = []

    def reload(customer_id):
        reloads.append(customer_id)
        return CustomerKeys(customer_id, {1: V1, 2: V2})

    stale = cipher({1: V1}, reload)
    assert stale.open_text(*PLACE, newer) == "kept"
    assert reloads == ["cus_1"]
    assert stale.version == 2
    assert sealed_key_version(stale.seal_text(*PLACE, "next")) == 2


def test_an_older_version_that_is_gone_is_not_looked_up_again() -> None:
    # A destroyed version stays destroyed: there is nothing newer to find.
    first = cipher({1: V1}).seal_text(*PLACE, "gone")
    keys = cipher({2: V2}, reload=lambda _: pytest.fail("looked up a destroyed version"))
    with pytest.raises(DecryptionFailed):
        keys.open_text(*PLACE, first)


def test_the_customer_is_still_bound_whatever_the_version() -> None:
    blob = cipher({1: V1, 2: V2}).seal_text(*PLACE, "Ada")
    other = CustomerCipher("cus_2", CustomerKeys("cus_2", {1: V1, 2: V2}))
    with pytest.raises(DecryptionFailed):
        other.open_text(*PLACE, blob)


def test_keys_are_checked_once_and_never_shown() -> None:
    with pytest.raises(ValueError):
        CustomerKeys("cus_1", {1: b"short"})
    with pytest.raises(ValueError):
        CustomerKeys("cus_1", {})
    keys = CustomerKeys("cus_1", {1: V1, 2: V2})
    assert repr(keys) == "CustomerKeys(customer_id='cus_1', versions=[1, 2])"
    assert str(V2) not in repr(CustomerCipher("cus_1", keys))
