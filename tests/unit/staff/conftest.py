from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clientkeep.policy.loader import load_policy
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import FixedClock
from clientkeep.staff.model import StaffMember
from tests.fakes import FakeStaffRepository, FakeUnitOfWork, PlainPasswordHasher

ADMIN = Actor(id="stf_admin", name="admin", role="admin", credential="test")
AGENT = Actor(id="stf_agent", name="agent", role="agent", credential="test")
PASSWORD = "a long enough passphrase"


@pytest.fixture
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


class LockingFakeStaffRepository(FakeStaffRepository):
    """The fake has one thread and no rows to lock: reading for sign-in is a plain read."""

    def for_sign_in(self, username: str) -> StaffMember | None:
        return self.by_username(username)


@pytest.fixture
def uow(clock: FixedClock) -> FakeUnitOfWork:
    fake = FakeUnitOfWork(clock)
    fake.staff = LockingFakeStaffRepository()
    return fake


@pytest.fixture
def hasher() -> PlainPasswordHasher:
    return PlainPasswordHasher()


@pytest.fixture
def deps(uow, policy, clock, hasher) -> dict:
    return {"uow": uow, "policy": policy, "clock": clock, "hasher": hasher}
