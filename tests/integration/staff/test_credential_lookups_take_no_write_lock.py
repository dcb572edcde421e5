"""Token and session lookups read in reading units: no write lock, no writing transaction,
unless there is something to record."""

from __future__ import annotations

import threading
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from clientkeep.adapters.db.engine import READ_ONLY, writer_lock
from clientkeep.staff import authentication
from clientkeep.staff import services as staff_services


@contextmanager
def writing_transactions(engine):
    """Counts the transactions begun for writing while the block runs."""
    writing: list[object] = []

    def on_begin(conn) -> None:
        if not conn.get_execution_options().get(READ_ONLY):
            writing.append(conn)

    event.listen(engine, "begin", on_begin)
    try:
        yield writing
    finally:
        event.remove(engine, "begin", on_begin)


@pytest.fixture
def secret(container, personas) -> str:
    made = staff_services.create_token(
        "crm", uow=container.uow(), actor=personas.agent.actor, clock=container.clock
    )
    return made.secret


def look_up(container, secret):
    return authentication.token_actor(secret, uow=container.uow(), clock=container.clock)


def test_a_token_lookup_that_records_nothing_begins_no_writing_transaction(
    container, secret, personas
) -> None:
    look_up(container, secret)  # the first use is recorded
    with writing_transactions(container.engine) as writing:
        assert look_up(container, secret).id == personas.agent.actor.id
    assert writing == []


def test_recording_a_tokens_use_is_one_writing_transaction(container, secret) -> None:
    with writing_transactions(container.engine) as writing:
        look_up(container, secret)
    assert len(writing) == 1


def test_a_session_lookup_begins_no_writing_transaction(container, personas) -> None:
    signed_in = authentication.sign_in(
        personas.agent.username,
        personas.agent.password,
        uow=container.uow(),
        policy=container.policy,
        clock=container.clock,
        hasher=container.hasher,
    )
    with writing_transactions(container.engine) as writing:
        found = authentication.session_actor(
            signed_in.session.id, uow=container.uow(), clock=container.clock
        )
    assert found is not None and writing == []


def test_a_token_lookup_does_not_wait_behind_a_writer(container, secret, backend) -> None:
    if backend != "sqlite":
        pytest.skip("only SQLite has the in-process writer lock")
    look_up(container, secret)
    lock = writer_lock(container.engine)
    assert lock is not None
    held, release = threading.Event(), threading.Event()

    def writer() -> None:
        with lock:
            held.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        held.wait(5)
        answered: list[object] = []
        lookup = threading.Thread(target=lambda: answered.append(look_up(container, secret)))
        lookup.start()
        lookup.join(timeout=5)
        assert answered, "the lookup waited for the writer lock"
    finally:
        release.set()
        thread.join()
