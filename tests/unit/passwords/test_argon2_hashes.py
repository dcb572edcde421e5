"""Staff passwords are kept as argon2id hashes, never as text."""

from __future__ import annotations

from clientkeep.adapters.passwords import Argon2PasswordHasher


def test_the_hash_is_argon2id_and_verifies_only_the_right_password() -> None:
    hasher = Argon2PasswordHasher(fast_for_tests=True)
    digest = hasher.hash("a long passphrase here")
    assert digest.startswith("$argon2id$")
    assert "a long passphrase here" not in digest
    assert hasher.verify(digest, "a long passphrase here")
    assert not hasher.verify(digest, "a long passphrase HERE")


def test_two_hashes_of_one_password_differ_by_salt() -> None:
    hasher = Argon2PasswordHasher(fast_for_tests=True)
    assert hasher.hash("same password") != hasher.hash("same password")


def test_a_malformed_hash_fails_closed() -> None:
    assert not Argon2PasswordHasher().verify("not-a-hash", "anything")


def test_weak_test_parameters_are_flagged_for_rehash_by_the_real_profile() -> None:
    weak = Argon2PasswordHasher(fast_for_tests=True).hash("password one two")
    assert Argon2PasswordHasher().needs_rehash(weak)
