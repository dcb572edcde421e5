"""The fake unit of work keeps what was committed and nothing else, as a database does, and a
reading unit refuses to write: so a use case that forgets its commit fails its unit tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest

from clientkeep.audit.model import entry_for
from clientkeep.customers.model import Change, ChangeKind, Customer, FieldRecord, Source
from clientkeep.customers.ports import DuplicateSuspect, IndexTerm
from clientkeep.shared.actor import SYSTEM
from tests.fakes import FakeUnitOfWork, KeyDestruction, WriteInReadingUnit

TERM = IndexTerm("email", "email", "ada@example.com")


def customer(now: datetime, customer_id: str = "cus_ada") -> Customer:
    record = FieldRecord("ada@example.com", now, "stf_agent", Source.PHONE)
    return Customer(id=customer_id, created_at=now, updated_at=now, fields={"email": record})


def change(now: datetime, customer_id: str = "cus_ada") -> Change:
    return Change(
        "chg_1", customer_id, "email", ChangeKind.COLLECTED, None, "x", "why", now, "stf_agent"
    )


def write_one_of_each(uow: FakeUnitOfWork, now: datetime, personas) -> None:
    uow.customers.add(customer(now), [TERM])
    uow.history.add([change(now)])
    uow.duplicates.add(DuplicateSuspect("dup_1", "cus_ada", "cus_bob", ("same email",), now))
    uow.idempotency.remember("stf_agent", "key-1", "fp", "cus_ada", now)
    uow.key_outbox.destroy_after_commit("cus_old", reason="merged")
    uow.audit.append(entry_for(personas.agent.actor, "customer.created"))


def nothing_is_stored(uow: FakeUnitOfWork) -> bool:
    return (
        uow.customers.get("cus_ada") is None
        and uow.customers.find_by_terms([("email", "ada@example.com")]) == []
        and uow.history.for_customer("cus_ada") == []
        and uow.duplicates.open(limit=10) == []
        and uow.idempotency.recall("stf_agent", "key-1") is None
        and uow.key_outbox.requests == []
        and uow.audit.events == []
    )


def test_work_that_is_never_committed_is_gone_when_the_unit_ends(uow, clock, personas) -> None:
    with uow:
        write_one_of_each(uow, clock.now(), personas)
    assert nothing_is_stored(uow)
    assert uow.commits == 0


def test_committed_work_is_kept(uow, clock, personas) -> None:
    with uow:
        write_one_of_each(uow, clock.now(), personas)
        uow.commit()
    assert uow.customers.get("cus_ada") is not None
    assert uow.history.for_customer("cus_ada") == [change(clock.now())]
    assert [s.id for s in uow.duplicates.open(limit=10)] == ["dup_1"]
    assert uow.idempotency.recall("stf_agent", "key-1") == ("fp", "cus_ada")
    assert uow.key_outbox.requests == [KeyDestruction("cus_old", None, "merged")]
    assert uow.audit.actions() == ["customer.created"]


def test_work_after_the_last_commit_is_gone(uow, clock) -> None:
    with uow:
        uow.customers.add(customer(clock.now()), [TERM])
        uow.commit()
        uow.customers.mark_merged("cus_ada", "cus_bob", clock.now())
    kept = uow.customers.get("cus_ada")
    assert kept is not None and kept.merged_into is None
    assert uow.customers.find_by_terms([("email", "ada@example.com")]) == ["cus_ada"]
    assert uow.key_outbox.requests == []


def test_a_unit_that_raises_keeps_only_what_it_committed(uow, clock) -> None:
    with pytest.raises(RuntimeError), uow:
        uow.customers.add(customer(clock.now(), "cus_ada"), [])
        uow.commit()
        uow.customers.add(customer(clock.now(), "cus_bob"), [])
        raise RuntimeError("the use case failed")
    assert uow.customers.get("cus_ada") is not None
    assert uow.customers.get("cus_bob") is None


def test_a_nested_block_joins_the_open_unit_and_its_commit_waits_for_the_outermost(
    uow, clock
) -> None:
    with uow:
        with uow:
            uow.customers.add(customer(clock.now()), [])
            uow.commit()
        assert uow.customers.get("cus_ada") is not None  # still the same open unit
    # The outermost block never committed, so on a database nothing would be kept.
    assert uow.customers.get("cus_ada") is None
    assert uow.commits == 1


def test_what_a_test_stores_outside_any_unit_counts_as_already_stored(uow, clock) -> None:
    uow.customers.add(customer(clock.now()), [])
    with uow:
        pass
    assert uow.customers.get("cus_ada") is not None


WRITES: dict[str, Callable[[FakeUnitOfWork, datetime], object]] = {
    "lock a customer": lambda uow, now: uow.customers.lock(["cus_ada"]),
    "add a customer": lambda uow, now: uow.customers.add(customer(now, "cus_new"), []),
    "change a value": lambda uow, now: uow.customers.set_fields("cus_ada", {}, now),
    "rewrite terms": lambda uow, now: uow.customers.replace_all_terms("cus_ada", []),
    "erase values": lambda uow, now: uow.customers.erase_fields("cus_ada"),
    "tombstone": lambda uow, now: uow.customers.mark_merged("cus_ada", "cus_bob", now),
    "add history": lambda uow, now: uow.history.add([change(now)]),
    "move history": lambda uow, now: uow.history.move("cus_ada", "cus_bob"),
    "resolve a suspect": lambda uow, now: uow.duplicates.resolve("dup_1", now, "merged"),
    "remember a key": lambda uow, now: uow.idempotency.remember("a", "k", "f", "c", now),
    "ask for a key's destruction": lambda uow, now: uow.key_outbox.destroy_after_commit(
        "cus_ada", reason="merged"
    ),
    "append an event": lambda uow, now: uow.audit.append(entry_for(SYSTEM, "customer.read")),
    "revoke a token": lambda uow, now: uow.tokens.revoke("tok_1", now),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_a_reading_unit_refuses_every_write(uow, clock, write) -> None:
    uow.customers.add(customer(clock.now()), [TERM])
    with pytest.raises(WriteInReadingUnit), uow.reading():
        write(uow, clock.now())
    assert uow.customers.get("cus_ada") == customer(clock.now())


def test_a_writing_block_inside_a_reading_unit_still_only_reads(uow, clock) -> None:
    with pytest.raises(WriteInReadingUnit), uow.reading(), uow:
        uow.customers.add(customer(clock.now()), [])


def test_a_read_inside_an_open_unit_joins_it_and_may_write(uow, clock) -> None:
    with uow:
        with uow.reading():
            uow.customers.add(customer(clock.now()), [])
        uow.commit()
    assert uow.customers.get("cus_ada") is not None
