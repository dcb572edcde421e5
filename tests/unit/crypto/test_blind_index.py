import pytest

from clientkeep.adapters.crypto.blind_index import BlindIndexer, derive_key

ROOT = bytes(range(32))


def test_tokens_are_deterministic():
    assert BlindIndexer(ROOT).token("email", "ada@example.org") == BlindIndexer(ROOT).token(
        "email", "ada@example.org"
    )


def test_different_values_give_different_tokens():
    index = BlindIndexer(ROOT)
    assert index.token("email", "ada@example.org") != index.token("email", "bob@example.org")


def test_each_kind_has_its_own_key():
    index = BlindIndexer(ROOT)
    assert index.token("name", "smith") != index.token("name_phonetic", "smith")
    assert index.token("email", "x") != index.token("phone", "x")


def test_a_different_root_key_gives_different_tokens():
    other = bytes(reversed(range(32)))
    assert BlindIndexer(ROOT).token("postcode", "SW1A1AA") != BlindIndexer(other).token(
        "postcode", "SW1A1AA"
    )


@pytest.mark.parametrize("length", [4, 8, 16, 32])
def test_tokens_are_truncated_to_the_length_asked(length):
    index = BlindIndexer(ROOT)
    token = index.token("phone", "+447700900123", truncate_bytes=length)
    assert len(token) == length
    assert index.token("phone", "+447700900123", truncate_bytes=32).startswith(token)


def test_the_default_is_sixteen_bytes_and_silly_lengths_are_refused():
    index = BlindIndexer(ROOT)
    assert len(index.token("email", "a@b.c")) == 16
    for bad in (0, 3, 33):
        with pytest.raises(ValueError):
            index.token("email", "a@b.c", truncate_bytes=bad)


def test_derived_keys_depend_on_purpose_and_root():
    assert len(derive_key(ROOT, "web session cookie v1")) == 32
    assert derive_key(ROOT, "a") == derive_key(ROOT, "a")
    assert derive_key(ROOT, "a") != derive_key(ROOT, "b")
    assert derive_key(ROOT, "a") != derive_key(bytes(32), "a")
