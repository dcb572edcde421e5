"""A unit of work commits explicitly; leaving it any other way keeps nothing."""

from __future__ import annotations

import pytest

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
