"""argon2id password hashing (argon2-cffi), with its recommended parameters."""

from __future__ import annotations

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2PasswordHasher:
    def __init__(self, *, fast_for_tests: bool = False) -> None:
        # Tests sign in hundreds of times; the cheap profile keeps the suite fast while
        # still exercising the real algorithm.
        self._hasher = (
            _Argon2(time_cost=1, memory_cost=1024, parallelism=1) if fast_for_tests else _Argon2()
        )

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        try:
            return self._hasher.check_needs_rehash(password_hash)
        except InvalidHashError:
            return False
