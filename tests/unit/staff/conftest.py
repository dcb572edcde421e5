from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clientkeep.policy.loader import load_policy
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import FixedClock
from tests.fakes import FakeUnitOfWork, PlainPasswordHasher

ADMIN = Actor(id="stf_admin", name="admin", role="admin", credential="test")
AGENT = Actor(id="stf_agent", name="agent", role="agent", credential="test")
PASSWORD = "a long enough passphrase"


@pytest.fixture
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))


@pytest.fixture
def uow(clock: FixedClock) -> FakeUnitOfWork:
    return FakeUnitOfWork(clock)


@pytest.fixture
def hasher() -> PlainPasswordHasher:
    return PlainPasswordHasher()


@pytest.fixture
def deps(uow, policy, clock, hasher) -> dict:
    return {"uow": uow, "policy": policy, "clock": clock, "hasher": hasher}
