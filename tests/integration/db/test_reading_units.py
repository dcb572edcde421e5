"""A reading unit takes no write lock, refuses to write, and never holds up a writer."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy.exc import DBAPIError

from clientkeep.audit.model import AuditEntry


def entry(action: str) -> AuditEntry:
    return AuditEntry(action=action, actor_id="test", actor_role="system", credential="test")


def test_a_reading_unit_sees_what_is_committed(container) -> None:
    with container.uow() as uow:
        uow.audit.append(entry("written"))
        uow.commit()
    uow = container.uow()
    with uow.reading():
        head = uow.audit.head()
    assert head is not None and head.seq >= 1


def test_a_reading_unit_refuses_to_write(container) -> None:
    uow = container.uow()
    with pytest.raises(DBAPIError), uow.reading():
        uow.audit.append(entry("not allowed"))
    with container.uow() as writing:
        writing.audit.append(entry("allowed again"))
        writing.commit()
    with container.uow() as check:
        assert [e.entry.action for e in check.audit.page(limit=500)][-1] == "allowed again"


def test_a_writer_commits_while_a_reading_unit_is_open(container) -> None:
    reader = container.uow()
    committed = threading.Event()

    def write() -> None:
        with container.uow() as uow:
            uow.audit.append(entry("while reading"))
            uow.commit()
        committed.set()

    with reader.reading():
        reader.audit.head()
        thread = threading.Thread(target=write)
        thread.start()
        # The writer must not wait for the reader to finish.
        assert committed.wait(timeout=10)
    thread.join()


def test_reading_inside_a_writing_unit_joins_it(container) -> None:
    uow = container.uow()
    with uow:
        uow.audit.append(entry("inside"))
        with uow.reading():
            uow.audit.append(entry("still the writing unit"))
        uow.commit()
    with container.uow() as check:
        actions = [e.entry.action for e in check.audit.page(limit=500)]
    assert actions[-2:] == ["inside", "still the writing unit"]
