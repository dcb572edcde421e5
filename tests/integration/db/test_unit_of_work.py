"""A unit of work commits explicitly; leaving it any other way keeps nothing."""

from __future__ import annotations

import pytest

from clientkeep.adapters.db.unit_of_work import SqlUnitOfWork
from clientkeep.audit.model import AuditEntry


def entry(action: str) -> AuditEntry:
    return AuditEntry(action=action, actor_id="test", actor_role="system", credential="test")


def count(container) -> int:
    with container.uow() as uow:
        return uow.audit.head().seq


def test_committed_work_is_kept(container) -> None:
    before = count(container)
    with container.uow() as uow:
        uow.audit.append(entry("kept"))
        uow.commit()
    assert count(container) == before + 1


def test_work_without_commit_is_rolled_back(container) -> None:
    before = count(container)
    with container.uow() as uow:
        uow.audit.append(entry("dropped"))
    assert count(container) == before


def test_an_error_rolls_back_everything_done_in_the_unit(container) -> None:
    before = count(container)
    with pytest.raises(RuntimeError), container.uow() as uow:
        uow.audit.append(entry("first"))
        uow.audit.append(entry("second"))
        raise RuntimeError("boom")
    assert count(container) == before


def keys_failing_once(container):
    calls = []

    def keys():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("key store unavailable")
        return container.storage_keys

    return keys


class EngineFailingToBeginOnce:
    """The engine, except that its first connection cannot begin a transaction."""

    def __init__(self, engine) -> None:
        self._engine = engine
        self.first = None

    def connect(self):
        conn = self._engine.connect()
        if self.first is None:
            self.first = conn

            def begin() -> None:
                raise RuntimeError("database went away")

            conn.begin = begin
        return conn


def assert_usable(container, uow) -> None:
    before = count(container)
    with uow:
        uow.audit.append(entry("after a failed opening"))
        uow.commit()
    assert count(container) == before + 1


def test_a_unit_whose_keys_could_not_be_fetched_opens_properly_next_time(container) -> None:
    uow = SqlUnitOfWork(container.engine, container.clock, keys_failing_once(container))
    with pytest.raises(RuntimeError), uow:
        pass
    assert_usable(container, uow)


def test_a_unit_that_could_not_begin_closes_its_connection_and_opens_next_time(
    container,
) -> None:
    engine = EngineFailingToBeginOnce(container.engine)
    uow = SqlUnitOfWork(engine, container.clock, lambda: container.storage_keys)
    with pytest.raises(RuntimeError), uow:
        pass
    assert engine.first.closed  # returned to the pool, not leaked
    assert_usable(container, uow)


def test_an_error_in_a_nested_block_leaves_the_outer_block_in_charge(container) -> None:
    before = count(container)
    uow = container.uow()
    with uow:
        uow.audit.append(entry("outer"))
        with pytest.raises(RuntimeError), uow:
            raise RuntimeError("inner helper failed")
        uow.commit()  # the outer block still owns the transaction and may commit it
    assert count(container) == before + 1
    with uow:  # and the unit opens afresh afterwards
        uow.audit.append(entry("next"))
        uow.commit()
    assert count(container) == before + 2
