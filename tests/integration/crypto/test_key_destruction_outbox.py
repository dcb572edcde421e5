"""A key is destroyed through a request written with the change that needs it: carried out
after commit, kept when the key store fails, and retried by a sweep until done."""

from __future__ import annotations

import logging

import pytest

from clientkeep.adapters.cli import serve
from clientkeep.adapters.crypto.keystore import DataKeyDestroyed
from clientkeep.adapters.db import key_sweep, migrate

from ._records import add_customer, email_of, key_store_down, merge, requests


@pytest.fixture
def pair(container):
    return add_customer(container), add_customer(container)


def test_a_merge_destroys_the_duplicates_key_once_committed_and_leaves_no_request(
    container, pair
) -> None:
    survivor, duplicate = pair
    merge(container, duplicate, survivor)
    assert container.keystore.is_destroyed(duplicate)
    assert requests(container) == []
    assert email_of(container, survivor) == "ada@example.org"


def test_when_the_key_store_fails_the_merge_stands_and_the_request_waits(
    container, pair, tmp_path, caplog
) -> None:
    survivor, duplicate = pair
    with key_store_down(container, tmp_path), caplog.at_level(logging.WARNING):
        merge(container, duplicate, survivor)  # no exception reaches the caller
    with container.uow() as uow:
        assert uow.customers.get(duplicate).merged_into == survivor
    assert not container.keystore.is_destroyed(duplicate)
    assert requests(container) == [(duplicate, None, "merged")]
    assert key_sweep.pending_destructions(container.engine).count == 1
    # Logged, with the request's number and the error's type, and nothing about the customer.
    assert "key destruction request 1 is still pending (KeystoreError)" in caplog.text
    assert duplicate not in caplog.text and survivor not in caplog.text


def test_a_sweep_carries_out_the_waiting_request_and_a_second_finds_nothing(
    container, pair, tmp_path
) -> None:
    survivor, duplicate = pair
    with key_store_down(container, tmp_path):
        merge(container, duplicate, survivor)
        assert key_sweep.carry_out_pending(container.engine, container.keystore) == (
            key_sweep.Carried(done=0, still_pending=1)
        )
    carried = key_sweep.carry_out_pending(container.engine, container.keystore)
    assert carried == key_sweep.Carried(done=1, still_pending=0)
    assert requests(container) == []
    with pytest.raises(DataKeyDestroyed):
        container.keystore.data_key(duplicate)
    again = key_sweep.carry_out_pending(container.engine, container.keystore)
    assert again == key_sweep.Carried(done=0, still_pending=0)


def test_a_merge_rolled_back_requests_nothing_and_destroys_nothing(container, pair) -> None:
    survivor, duplicate = pair
    with container.uow() as uow:
        uow.customers.mark_merged(duplicate, survivor, container.clock.now())
    assert requests(container) == []
    assert not container.keystore.is_destroyed(duplicate)
    assert email_of(container, duplicate) == "ada@example.org"


def test_a_destruction_asked_for_twice_is_carried_out_once_without_complaint(
    container, pair
) -> None:
    _, customer = pair
    with container.uow() as uow:
        uow.key_outbox.destroy_after_commit(customer, reason="merged")
        uow.key_outbox.destroy_after_commit(customer, reason="merged")
        uow.commit()
    assert requests(container) == []
    assert container.keystore.destroyed_count() == 1


def test_one_version_can_be_destroyed_through_the_outbox(container, pair) -> None:
    _, customer = pair
    sealer = container.storage_keys.sealer
    sealer.add_version(customer)
    with container.uow() as uow:
        uow.key_outbox.destroy_after_commit(customer, version=1, reason="erased")
        uow.commit()
    assert sealer.versions(customer) == [2]
    assert not container.keystore.is_destroyed(customer)


def test_a_reason_is_a_fixed_word_never_free_text(container, pair) -> None:
    _, customer = pair
    with pytest.raises(ValueError), container.uow() as uow:
        uow.key_outbox.destroy_after_commit(customer, reason="Ada asked us to forget her")
    assert requests(container) == []


def test_serving_starts_by_carrying_out_what_is_pending(container, pair, tmp_path) -> None:
    survivor, duplicate = pair
    with key_store_down(container, tmp_path):
        merge(container, duplicate, survivor)
    serve._carry_out_pending_destructions(container)
    assert requests(container) == []
    assert container.keystore.is_destroyed(duplicate)


def test_the_database_does_not_go_back_past_the_outbox_while_a_request_waits(
    container, pair, tmp_path
) -> None:
    # Dropping the table would leave alive a key that was meant to be destroyed.
    survivor, duplicate = pair
    with key_store_down(container, tmp_path):
        merge(container, duplicate, survivor)
    with pytest.raises(RuntimeError, match="keys sweep"):
        migrate.downgrade(container.engine, "0003")
    # Later revisions may have been undone; the outbox's own is not, nor its waiting request.
    assert migrate.current_revision(container.engine) >= "0004"
    with container.engine.connect() as conn:
        pending = conn.exec_driver_sql("SELECT count(*) FROM key_destruction_request").scalar()
    assert pending == 1
