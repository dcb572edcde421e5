import base64

import pytest

from clientkeep.adapters.crypto.master_keys import (
    MasterKeyError,
    MasterKeyRing,
    parse_master_key_env,
)

K1, K2 = bytes([1]) * 32, bytes([2]) * 32


def b64(key: bytes, urlsafe: bool = False) -> str:
    return (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(key).decode()


def test_a_single_key_is_version_one():
    ring = parse_master_key_env(b64(K1))
    assert ring.versions == {1: K1}
    assert ring.current == 1


def test_urlsafe_and_unpadded_base64_are_accepted():
    key = bytes(range(200, 232))  # bytes that encode to - and _ in the urlsafe alphabet
    assert parse_master_key_env(b64(key, urlsafe=True)).versions[1] == key
    assert parse_master_key_env(b64(key).rstrip("=")).versions[1] == key


def test_versions_can_be_explicit_and_the_highest_is_current():
    ring = parse_master_key_env(f"1:{b64(K1)}, 3:{b64(K2)}")
    assert ring.versions == {1: K1, 3: K2}
    assert ring.current == 3


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("not base64 at all!", "not valid base64"),
        (b64(b"too short"), "must decode to 32 bytes"),
        (f"1:{b64(K1)},1:{b64(K2)}", "appears twice"),
        (f"x:{b64(K1)}", "VERSION:BASE64"),
        (f"0:{b64(K1)}", "1 or more"),
        ("   ", "empty"),
    ],
)
def test_bad_values_are_refused_clearly(value, message):
    with pytest.raises(MasterKeyError, match=message):
        parse_master_key_env(value)


def test_an_error_never_echoes_the_key():
    almost = b64(bytes([7]) * 31)
    with pytest.raises(MasterKeyError) as caught:
        parse_master_key_env(f"1:{b64(K1)},2:{almost}")
    assert almost not in str(caught.value)
    assert b64(K1) not in str(caught.value)


def test_the_ring_never_shows_its_keys():
    ring = parse_master_key_env(b64(K1))
    assert b64(K1) not in repr(ring) and str(K1) not in repr(ring)


def test_a_wrapped_key_opens_only_for_its_owner_and_version():
    ring = MasterKeyRing({1: K1, 2: K2})
    version, blob = ring.wrap(b"d" * 32, "cust-1")
    assert version == 2
    assert ring.unwrap(2, blob, "cust-1") == b"d" * 32
    with pytest.raises(MasterKeyError):
        ring.unwrap(2, blob, "cust-2")
    with pytest.raises(MasterKeyError):
        ring.unwrap(1, blob, "cust-1")
    with pytest.raises(MasterKeyError, match="version 5"):
        ring.unwrap(5, blob, "cust-1")
