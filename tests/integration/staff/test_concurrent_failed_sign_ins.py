"""Failed sign-ins made at the same moment are all counted: none is lost to a race."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from clientkeep.audit.ports import TrailFilter
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import AuthenticationFailed
from clientkeep.staff import authentication
from clientkeep.staff import services as staff_services
from tests.conftest import PASSWORD

ATTEMPTS = 8


class SlowHasher:
    """The real hasher, made slower to verify, so every attempt reads the count before any
    of them writes it back: the window a lost update needs."""

    def __init__(self, inner) -> None:
        self._inner = inner

    def hash(self, password: str) -> str:
        return self._inner.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        time.sleep(0.05)
        return self._inner.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return False


def test_simultaneous_wrong_passwords_each_add_one_failure(container) -> None:
    member = staff_services.add_staff(
        staff_services.AddStaff(username="alice", role="agent", password=PASSWORD),
        uow=container.uow(),
        actor=Actor(id="test", name="test", role="system"),
        policy=container.policy,
        clock=container.clock,
        hasher=container.hasher,
    )
    # A high limit, so the lock never starts and every attempt is counted.
    rules = replace(container.policy.staff, max_failed_sign_ins=100)
    policy = replace(container.policy, staff=rules)
    hasher = SlowHasher(container.hasher)
    start = threading.Barrier(ATTEMPTS)
    failed: list[BaseException] = []

    def attempt() -> None:
        start.wait()
        try:
            authentication.sign_in(
                "alice",
                "not the password",
                uow=container.uow(),
                policy=policy,
                clock=container.clock,
                hasher=hasher,
            )
        except AuthenticationFailed:
            return
        except BaseException as exc:  # reported below, rather than lost in the thread
            failed.append(exc)

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not failed
    with container.uow() as uow:
        assert uow.staff.get(member.id).failed_sign_ins == ATTEMPTS
        attempts = uow.audit.page(TrailFilter(action="staff.sign_in"), limit=100)
    counts = [e.entry.detail["failures"] for e in attempts if "failures" in e.entry.detail]
    assert sorted(counts) == list(range(1, ATTEMPTS + 1))
