"""Checkpoints of the head, kept in the key store, catch a trail cut back to an older head."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import delete, update

from clientkeep.adapters.crypto import checkpoints
from clientkeep.adapters.crypto.checkpoints import CheckpointStore
from clientkeep.adapters.crypto.errors import KeystoreError
from clientkeep.adapters.db.tables import audit_chain, audit_event
from clientkeep.audit.model import MAIN_CHAIN
from tests.integration.audit.trail import (
    append,
    checkpoint_every_append,
    entry,
    exec_sql,
    head_row,
    verify,
)


def cut_back_to(container, saved_head: dict) -> None:
    """What someone with write access to the main database could do: delete the newest
    events and put back a head row saved earlier (its seal is still valid)."""
    exec_sql(
        container,
        delete(audit_event).where(audit_event.c.seq > saved_head["head_seq"]),
        update(audit_chain).values(
            head_seq=saved_head["head_seq"],
            head_hash=saved_head["head_hash"],
            head_seal=saved_head["head_seal"],
        ),
    )


def test_an_older_head_put_back_after_deleting_the_newer_events_fails(container) -> None:
    checkpoint_every_append(container)
    append(container, 3)
    saved = head_row(container)
    append(container, 4)
    cut_back_to(container, saved)
    result = verify(container)
    assert not result.ok
    assert result.first_bad_seq == saved["head_seq"] + 1
    assert "older than the newest checkpoint" in result.problem
    assert result.checkpoint_seq == saved["head_seq"] + 4


def test_a_trail_kept_whole_verifies_naming_its_head_and_newest_checkpoint(container) -> None:
    checkpoint_every_append(container)
    append(container, 3)
    saved = head_row(container)
    append(container, 4)
    result = verify(container)
    assert result.ok
    assert (result.head_seq, result.head_hash) == (
        saved["head_seq"] + 4,
        head_row(container)["head_hash"],
    )
    assert (result.checkpoint_seq, result.checkpoint_hash) == (result.head_seq, result.head_hash)


def test_a_new_installation_is_checkpointed_by_its_first_append(container) -> None:
    # The container's own store, with the default interval: the first append is always due.
    newest = container.storage_keys.checkpoints.latest(MAIN_CHAIN)
    assert newest is not None and newest.seq >= 1
    assert verify(container).ok


def test_a_head_that_is_rolled_back_is_never_checkpointed(container) -> None:
    store = checkpoint_every_append(container)
    before = store.latest(MAIN_CHAIN)
    with container.uow() as uow:
        uow.audit.append(entry("rolled.back"))
        # No commit: the block rolls the event back.
    assert store.latest(MAIN_CHAIN) == before
    append(container, 1)
    assert store.latest(MAIN_CHAIN).seq == head_row(container)["head_seq"]


def test_a_checkpoint_is_written_once_each_interval_while_events_are_appended(
    container, monkeypatch
) -> None:
    class Clock:
        now = 1000.0

        def monotonic(self) -> float:
            return self.now

    clock = Clock()
    monkeypatch.setattr(checkpoints, "time", clock)
    store = checkpoint_every_append(container, interval=2.0)
    append(container, 1)  # this store has written nothing yet: due
    first = store.latest(MAIN_CHAIN).seq
    clock.now += 1.0
    append(container, 1)
    assert store.latest(MAIN_CHAIN).seq == first
    clock.now += 1.0
    append(container, 2)
    assert store.latest(MAIN_CHAIN).seq == first + 3 == head_row(container)["head_seq"]


def test_a_unit_of_many_appends_checkpoints_its_last_head_once(container, monkeypatch) -> None:
    store = checkpoint_every_append(container)
    written = []
    original = CheckpointStore.write

    def counting(self, chain, seq, head_hash, seal):
        written.append(seq)
        return original(self, chain, seq, head_hash, seal)

    monkeypatch.setattr(CheckpointStore, "write", counting)
    with container.uow() as uow:
        for _ in range(5):
            uow.audit.append(entry())
        uow.audit.append_many([entry(), entry()])
        uow.commit()
    assert written == [head_row(container)["head_seq"]] == [store.latest(MAIN_CHAIN).seq]


def test_a_failing_key_store_does_not_fail_the_append_and_the_next_one_tries_again(
    container, monkeypatch, caplog
) -> None:
    store = checkpoint_every_append(container)
    before = store.latest(MAIN_CHAIN)
    original = CheckpointStore.write

    def unreachable(self, chain, seq, head_hash, seal):
        raise KeystoreError("key store database error: connection refused")

    monkeypatch.setattr(CheckpointStore, "write", unreachable)
    with caplog.at_level(logging.WARNING, logger="clientkeep.audit"):
        append(container, 1, customer_id="cus_personal", purpose="service")
    committed = head_row(container)["head_seq"]
    assert store.latest(MAIN_CHAIN) == before  # nothing written, yet the events committed
    assert verify(container).ok
    (record,) = [r for r in caplog.records if r.name == "clientkeep.audit"]
    message = record.getMessage()
    assert "KeystoreError" in message and str(committed) in message
    assert "cus_personal" not in message and "connection refused" not in message
    monkeypatch.setattr(CheckpointStore, "write", original)
    append(container, 1)
    assert store.latest(MAIN_CHAIN).seq == committed + 1


def test_a_checkpoint_whose_seal_does_not_match_fails_verification(container) -> None:
    store = checkpoint_every_append(container)
    append(container, 2)
    head = head_row(container)
    # Written without the key: a plausible head, sealed with anything but the right HMAC.
    assert store.write(MAIN_CHAIN, head["head_seq"] + 1, head["head_hash"], "0" * 64)
    result = verify(container)
    assert not result.ok and "checkpoint's seal" in result.problem


@pytest.mark.parametrize("older_by", [1, 5])
def test_the_trail_cut_by_any_number_of_events_fails(container, older_by) -> None:
    checkpoint_every_append(container)
    append(container, 2)
    heads = []
    for _ in range(older_by):
        heads.append(head_row(container))
        append(container, 1)
    cut_back_to(container, heads[0])
    assert not verify(container).ok


def test_the_store_keeps_checkpoints_only_moving_forward(container) -> None:
    store = CheckpointStore(container.keystore.engine)
    newest = container.storage_keys.checkpoints.latest(MAIN_CHAIN)
    assert not store.write(MAIN_CHAIN, newest.seq, "a" * 64, "b" * 64)
    assert not store.write(MAIN_CHAIN, newest.seq - 1 or newest.seq, "a" * 64, "b" * 64)
    assert store.latest(MAIN_CHAIN) == newest
