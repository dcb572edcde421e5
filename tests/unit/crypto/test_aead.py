import os

import pytest

from clientkeep.adapters.crypto.aead import (
    CustomerCipher,
    DecryptionFailed,
    associated_data,
    open_sealed,
    seal,
)

KEY = bytes(range(32))
AAD = associated_data("customer_field", "value", "row-1", "cust-1")


def test_it_round_trips():
    blob = seal(KEY, b"Ada Lovelace", AAD)
    assert open_sealed(KEY, blob, AAD) == b"Ada Lovelace"


def test_the_blob_is_version_nonce_then_ciphertext_and_tag():
    blob = seal(KEY, b"abc", AAD)
    assert blob[0] == 1
    assert len(blob) == 1 + 12 + 3 + 16
    assert b"abc" not in blob


def test_two_seals_of_the_same_value_differ():
    first, second = seal(KEY, b"same", AAD), seal(KEY, b"same", AAD)
    assert first != second
    assert first[1:13] != second[1:13]


def test_tampering_with_any_byte_fails():
    blob = seal(KEY, b"a secret note", AAD)
    for i in range(len(blob)):
        tampered = bytearray(blob)
        tampered[i] ^= 0x01
        with pytest.raises(DecryptionFailed):
            open_sealed(KEY, bytes(tampered), AAD)


def test_a_truncated_blob_fails():
    blob = seal(KEY, b"a secret note", AAD)
    for length in (0, 1, 13, 28, len(blob) - 1):
        with pytest.raises(DecryptionFailed):
            open_sealed(KEY, blob[:length], AAD)


def test_the_wrong_key_fails():
    blob = seal(KEY, b"x", AAD)
    with pytest.raises(DecryptionFailed):
        open_sealed(os.urandom(32), blob, AAD)


def test_the_failure_message_carries_no_data():
    blob = seal(KEY, b"Ada Lovelace", AAD)
    with pytest.raises(DecryptionFailed) as caught:
        open_sealed(os.urandom(32), blob, AAD)
    assert "Ada" not in str(caught.value)


@pytest.mark.parametrize(
    "moved",
    [
        ("interaction", "value", "row-1", "cust-1"),
        ("customer_field", "note", "row-1", "cust-1"),
        ("customer_field", "value", "row-2", "cust-1"),
        ("customer_field", "value", "row-1", "cust-2"),
    ],
    ids=["another table", "another column", "another row", "another customer"],
)
def test_a_ciphertext_moved_elsewhere_fails(moved):
    blob = seal(KEY, b"07700 123456", AAD)
    with pytest.raises(DecryptionFailed):
        open_sealed(KEY, blob, associated_data(*moved))


def test_associated_data_is_unambiguous():
    assert associated_data("ab", "c", "r", "x") != associated_data("a", "bc", "r", "x")
    assert associated_data("a", "b|c", "r", "x") != associated_data("a|b", "c", "r", "x")


def test_a_short_key_is_refused():
    with pytest.raises(ValueError):
        seal(b"short", b"x", AAD)


def test_the_customer_cipher_round_trips_text_and_binds_the_customer():
    mine = CustomerCipher("cust-1", KEY)
    blob = mine.seal_text("customer_field", "value", "row-1", "Zoë O'Brien")
    assert mine.open_text("customer_field", "value", "row-1", blob) == "Zoë O'Brien"
    with pytest.raises(DecryptionFailed):
        CustomerCipher("cust-2", KEY).open_text("customer_field", "value", "row-1", blob)
    with pytest.raises(DecryptionFailed):
        mine.open_text("customer_field", "value", "row-9", blob)
    assert "cust-1" in repr(mine) and str(KEY) not in repr(mine)
