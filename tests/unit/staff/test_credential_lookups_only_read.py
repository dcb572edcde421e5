"""Looking up a token or a session reads; a writing unit opens only to record something."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

import pytest

from clientkeep.shared.errors import AuthenticationFailed
from clientkeep.staff import authentication, services
from clientkeep.staff.failed_attempts import FailedAttempts
from tests.fakes import FakeUnitOfWork
from tests.unit.staff.conftest import ADMIN, PASSWORD, LockingFakeStaffRepository


class CountingUnitOfWork(FakeUnitOfWork):
    """Counts the units opened for writing; a reading unit's own entry is not one."""

    def __init__(self, clock) -> None:
        super().__init__(clock)
        self.staff = LockingFakeStaffRepository()
        self.writing = 0
        self._reading = False

    def __enter__(self) -> Self:
        if not self._reading:
            self.writing += 1
        return self

    @contextmanager
    def reading(self) -> Iterator[Self]:
        self._reading = True
        try:
            with self:
                yield self
        finally:
            self._reading = False


@pytest.fixture
def uow(clock) -> CountingUnitOfWork:
    return CountingUnitOfWork(clock)


@pytest.fixture
def alice(deps):
    return services.add_staff(
        services.AddStaff(username="alice", role="agent", password=PASSWORD),
        actor=ADMIN,
        **deps,
    )


def token_of(alice, uow, clock) -> str:
    actor = authentication.actor_for(alice, "test", None)
    return services.create_token("crm", uow=uow, actor=actor, clock=clock).secret


def writes_of(uow, action) -> int:
    before = uow.writing
    action()
    return uow.writing - before


def test_a_token_used_lately_is_looked_up_without_a_writing_unit(alice, uow, clock) -> None:
    secret = token_of(alice, uow, clock)
    authentication.token_actor(secret, uow=uow, clock=clock)  # records the use
    assert writes_of(uow, lambda: authentication.token_actor(secret, uow=uow, clock=clock)) == 0


def test_recording_a_tokens_use_takes_one_writing_unit(alice, uow, clock) -> None:
    secret = token_of(alice, uow, clock)
    assert writes_of(uow, lambda: authentication.token_actor(secret, uow=uow, clock=clock)) == 1
    clock.advance(authentication.TOKEN_USE_AUDIT_INTERVAL)
    assert writes_of(uow, lambda: authentication.token_actor(secret, uow=uow, clock=clock)) == 1


def test_a_bad_token_writes_only_when_there_is_something_to_record(uow, clock) -> None:
    ledger = FailedAttempts(per_minute=1000)

    def bad() -> None:
        with pytest.raises(AuthenticationFailed):
            authentication.token_actor("ck_nope", uow=uow, clock=clock, failures=ledger)

    assert writes_of(uow, bad) == 1  # the first failure of the interval
    assert writes_of(uow, bad) == 0  # counted only


def test_a_session_is_looked_up_without_a_writing_unit(deps, alice, uow, clock) -> None:
    signed_in = authentication.sign_in(
        "alice",
        PASSWORD,
        uow=uow,
        policy=deps["policy"],
        clock=clock,
        hasher=deps["hasher"],
    )
    assert (
        writes_of(
            uow, lambda: authentication.session_actor(signed_in.session.id, uow=uow, clock=clock)
        )
        == 0
    )
