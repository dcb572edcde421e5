"""An unknown username costs one password check, as a known one does, and no fresh hash."""

from __future__ import annotations

import pytest

from clientkeep.shared.errors import AuthenticationFailed
from clientkeep.staff import authentication, services
from tests.fakes import PlainPasswordHasher
from tests.unit.staff.conftest import ADMIN, PASSWORD


class CountingHasher(PlainPasswordHasher):
    def __init__(self) -> None:
        self.hashed = 0
        self.verified = 0

    def hash(self, password: str) -> str:
        self.hashed += 1
        return super().hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        self.verified += 1
        return super().verify(password_hash, password)


def attempt(deps, hasher, username: str) -> None:
    with pytest.raises(AuthenticationFailed):
        authentication.sign_in(
            username,
            "a wrong password",
            uow=deps["uow"],
            policy=deps["policy"],
            clock=deps["clock"],
            hasher=hasher,
        )


def test_the_dummy_hash_is_made_once_however_many_unknown_names_are_tried(deps) -> None:
    hasher = CountingHasher()
    for name in ("nobody", "no.one", "ghost", "nobody"):
        attempt(deps, hasher, name)
    assert hasher.hashed <= 1
    assert hasher.verified == 4


def test_an_unknown_and_a_known_username_each_cost_one_check_and_no_hashing(deps) -> None:
    services.add_staff(
        services.AddStaff(username="alice", role="agent", password=PASSWORD), actor=ADMIN, **deps
    )
    hasher = CountingHasher()
    attempt(deps, hasher, "nobody")  # the first unknown name pays for the dummy hash once
    before = (hasher.hashed, hasher.verified)
    attempt(deps, hasher, "nobody")
    unknown = (hasher.hashed - before[0], hasher.verified - before[1])
    before = (hasher.hashed, hasher.verified)
    attempt(deps, hasher, "alice")
    known = (hasher.hashed - before[0], hasher.verified - before[1])
    assert unknown == known == (0, 1)
