"""Issue 11 under concurrency, on real storage (SQLite and, with ``--backend postgres``,
PostgreSQL, where two units run side by side): two corrections of one contact, two contacts
closing one follow-up, two moves of one complaint, one Idempotency-Key sent twice at once
(same customer or another, same body or another) for a contact, a complaint and an answer,
and a merge of the customer while a complaint step is written. Each leaves exactly one
outcome, every refusal is a domain error (never a database error, which the edge turns into a
500), and nothing is left half-written or under the wrong customer."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from clientkeep.adapters.db.complaint_repository import SqlComplaintRepository
from clientkeep.adapters.db.contact_tables import complaint, complaint_step, interaction
from clientkeep.adapters.db.contact_tables import feedback as feedback_table
from clientkeep.adapters.db.customer_repository import SqlCustomerRepository
from clientkeep.complaints import services as complaints
from clientkeep.complaints.model import IllegalMove
from clientkeep.customers import services as customers
from clientkeep.customers.errors import IdempotencyKeyReused
from clientkeep.shared.errors import Conflict, DomainError, InvalidInput
from clientkeep.shared.uk_time import uk_date
from tests.integration.complaints._cases import open_case, step
from tests.integration.feedback._making import record
from tests.integration.interactions._contacts import correct, customer, log


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Each call in a thread of its own, started together: its result, or the exception it
    raised (any exception, so a database error is seen, not lost with its thread)."""
    barrier = threading.Barrier(len(calls), timeout=20)
    results: list[Any] = [None] * len(calls)

    def worker(n: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[n] = call()
        except Exception as exc:  # the test asserts what it was
            results[n] = exc

    threads = [threading.Thread(target=worker, args=(n, c)) for n, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return results


def refused(results: list[Any]) -> list[Exception]:
    errors = [r for r in results if isinstance(r, Exception)]
    assert all(isinstance(e, DomainError) for e in errors), errors
    return errors


def count(container, table, *where) -> int:
    with container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_two_corrections_of_one_contact_at_once_leave_one(container, personas) -> None:
    ada = customer(container, personas)
    old = log(container, personas.agent, ada).interaction_id
    results = at_once(
        lambda: correct(container, personas.agent, ada, old, reason="typo", nature="one"),
        lambda: correct(container, personas.supervisor, ada, old, reason="typo", nature="two"),
    )
    [error] = refused(results)
    assert isinstance(error, Conflict) and error.field == "interaction_id"
    assert count(container, interaction, interaction.c.corrects == old) == 1


def test_two_contacts_closing_one_follow_up_at_once_close_it_once(container, personas) -> None:
    ada = customer(container, personas)
    due = uk_date(container.clock.now()) + timedelta(days=2)
    open_one = log(
        container, personas.agent, ada, outcome="follow_up", follow_up_due=due
    ).interaction_id
    results = at_once(
        lambda: log(container, personas.agent, ada, follows_up=open_one),
        lambda: log(container, personas.supervisor, ada, follows_up=open_one),
    )
    [error] = refused(results)
    assert isinstance(error, InvalidInput) and error.errors[0][0] == "follows_up"
    assert count(container, interaction, interaction.c.follows_up == open_one) == 1


@pytest.mark.parametrize("other", ["hold", "resolve"])
def test_resolving_and_holding_or_resolving_at_once_leave_one_move(
    container, personas, other
) -> None:
    ada = customer(container, personas)
    case = open_case(container, personas.agent, ada).id
    extra = {"note": "waiting for the bill"} if other == "hold" else {}
    results = at_once(
        lambda: step(container, personas.agent, case, "resolve"),
        lambda: step(container, personas.supervisor, case, other, **extra),
    )
    [error] = refused(results)
    assert isinstance(error, IllegalMove)
    assert count(container, complaint_step, complaint_step.c.complaint_id == case) == 2
    with container.uow().reading() as uow:
        held = uow.complaints.get(case)
    # Never resolved and on hold at once: a resolved case cannot be held, nor a held one
    # resolved.
    assert held is not None
    assert (held.resolved_at is None) != (held.on_hold_since is None) or other == "resolve"


def _contact(container, persona, who, key, nature):
    return lambda: log(container, persona, who, nature=nature, idempotency_key=key)


def _case(container, persona, who, key, summary):
    return lambda: open_case(container, persona, who, summary=summary, idempotency_key=key)


def _answer(container, persona, who, key, score):
    return lambda: record(container, persona, who, csat=score, idempotency_key=key)


MAKERS = {
    "contact": (_contact, interaction, ("one", "two")),
    "complaint": (_case, complaint, ("The bill was wrong.", "The parcel was late.")),
    "feedback": (_answer, feedback_table, (4, 2)),
}


@pytest.mark.parametrize("kind", list(MAKERS))
def test_one_key_twice_at_once_with_different_bodies_makes_one_row(
    container, personas, kind
) -> None:
    """For one customer (the customer's lock makes them take turns) and for two (nothing
    but the key does): one row, and the other call is refused as a conflict."""
    make, table, (first_body, second_body) = MAKERS[kind]
    ada = customer(container, personas)
    grace = customer(container, personas, "Grace")
    for n, other in enumerate((ada, grace, ada, grace)):
        key = f"{kind}-race-{n}"
        results = at_once(
            make(container, personas.agent, ada, key, first_body),
            make(container, personas.agent, other, key, second_body),
        )
        [error] = refused(results)
        assert isinstance(error, IdempotencyKeyReused | Conflict), error
    assert count(container, table) == 4


def test_the_same_contact_twice_at_once_under_one_key_is_logged_once(container, personas) -> None:
    ada = customer(container, personas)
    results = at_once(
        _contact(container, personas.agent, ada, "same-1", "one"),
        _contact(container, personas.agent, ada, "same-1", "one"),
    )
    assert refused(results) == []
    assert {r.interaction_id for r in results} == {results[0].interaction_id}
    assert sorted(r.replayed for r in results) == [False, True]
    assert count(container, interaction) == 1


def _merge(container, persona, survivor, duplicate) -> Callable[[], Any]:
    return lambda: customers.merge(
        survivor,
        customers.MergeCustomers(
            duplicate_id=duplicate, reason="the same person twice", purpose="service"
        ),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=container.record_kinds,
    )


def test_a_merge_while_a_complaint_step_is_written_leaves_the_case_whole_with_the_survivor(
    container, personas
) -> None:
    for n in range(3):
        survivor = customer(container, personas, "Survivor" + "abc"[n])
        duplicate = customer(container, personas, "Duplicate" + "abc"[n])
        case = open_case(container, personas.agent, duplicate).id
        results = at_once(
            _merge(container, personas.supervisor, survivor, duplicate),
            lambda case=case: step(container, personas.agent, case, "note", note="rang back"),
        )
        assert refused(results) == []
        where = complaint_step.c.complaint_id == case
        assert count(container, complaint_step, where) == 2
        assert (
            count(container, complaint_step, where, complaint_step.c.customer_id == survivor) == 2
        )
        # The case and its steps open under the survivor's key: the note reads back.
        view = complaints.complaint_detail(
            case,
            uow=container.uow(),
            actor=personas.agent.actor,
            policy=container.policy,
            clock=container.clock,
        )
        assert view.customer_id == survivor and view.details is not None
        assert [s.note for s in view.steps][-1] == "rang back"


def test_a_move_that_first_read_the_case_under_its_old_customer_locks_the_new_one(
    container, personas, monkeypatch
) -> None:
    """A merge committed between the move's first read and its lock (drawn here by handing
    the move the case as it stood before the merge): the move locks the survivor too, so a
    second merge cannot take the case from under the step being written."""
    survivor = customer(container, personas, "Survivor")
    duplicate = customer(container, personas, "Duplicate")
    case = open_case(container, personas.agent, duplicate).id
    with container.uow().reading() as uow:
        before = uow.complaints.get(case)
    _merge(container, personas.supervisor, survivor, duplicate)()
    real_get = SqlComplaintRepository.get
    real_lock = SqlCustomerRepository.lock
    reads: list[str] = []
    locks: list[str] = []

    def stale_first(self, complaint_id):
        reads.append(complaint_id)
        return before if len(reads) == 1 else real_get(self, complaint_id)

    def spy(self, customer_ids):
        locks.extend(customer_ids)
        return real_lock(self, customer_ids)

    monkeypatch.setattr(SqlComplaintRepository, "get", stale_first)
    monkeypatch.setattr(SqlCustomerRepository, "lock", spy)
    view = step(container, personas.agent, case, "note", note="rang back")
    assert locks == [duplicate, survivor]
    assert view.customer_id == survivor
    assert count(container, complaint_step, complaint_step.c.customer_id == duplicate) == 0
