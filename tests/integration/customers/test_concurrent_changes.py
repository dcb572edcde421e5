"""Changes to one customer made at the same moment take turns: each starts from the last.

Every change locks the record first (SELECT ... FOR UPDATE on PostgreSQL; SQLite has one
writer), so corrections all succeed and chain in the history, composite index terms are built
from the record as it finally stands, and of two merges of one pair only one can happen.
These matter most with ``--backend postgres``, where the units really run side by side.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from clientkeep.customers import merge as merging
from clientkeep.customers import services as customers
from clientkeep.shared.errors import NotFound
from tests.integration.customers._policies import COMPOSITE_FIELDS, expected_terms, stored_terms
from tests.integration.customers.conftest import ADA

TOWNS = ("Leeds", "York", "Bath", "Ely", "Hull", "Wells", "Derby", "Truro")
GIVEN_NAMES = ("Augusta", "Byron", "Annabella", "Grace", "Mary", "Sophia")
POSTCODES = ("EC1A 1BB", "W1A 0AX", "M1 1AE", "B33 8TH", "CR2 6XH", "LS1 4AP")


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls on threads released together; each one's result, or what it raised."""
    start = threading.Barrier(len(calls))
    outcomes: list[Any] = [None] * len(calls)

    def run(i: int, call: Callable[[], Any]) -> None:
        start.wait()
        try:
            outcomes[i] = call()
        except BaseException as exc:  # returned, rather than lost in the thread
            outcomes[i] = exc

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a change never finished: a deadlock?"
    return outcomes


def failures(outcomes: list[Any]) -> list[BaseException]:
    return [o for o in outcomes if isinstance(o, BaseException)]


def update(container, persona, customer_id, fields):
    return customers.update(
        customer_id,
        customers.UpdateCustomer(
            purpose="service", fields=fields, reason="customer rang", source="internal_records"
        ),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
    )


def merge(container, persona, survivor_id, duplicate_id):
    return merging.merge(
        survivor_id,
        merging.MergeCustomers(duplicate_id=duplicate_id, reason="same person", purpose="service"),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=container.record_kinds,
    )


def test_simultaneous_corrections_of_one_field_all_succeed_and_chain_in_the_history(
    register, read, personas, container
) -> None:
    made = register(personas.agent).customer
    outcomes = at_once(
        *(partial(update, container, personas.agent, made.id, {"town": t}) for t in TOWNS)
    )
    assert failures(outcomes) == []
    changes = customers.history(
        made.id,
        purpose="service",
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
    )
    corrections = {c.old_value: c for c in changes if c.field == "town" and c.kind == "rectified"}
    # Eight corrections from eight different old values: none started from a stale record.
    assert len(corrections) == len(TOWNS)
    value = ADA["town"]
    while value in corrections:
        value = corrections.pop(value).new_value
    assert corrections == {}, "the history's old values do not form one chain"
    assert value == read(personas.agent, made.id).fields["town"].value


def test_simultaneous_edits_of_different_fields_leave_composite_terms_of_the_final_record(
    register, read, personas, container
) -> None:
    made = register(personas.agent).customer
    for given, postcode in zip(GIVEN_NAMES, POSTCODES, strict=True):
        outcomes = at_once(
            partial(update, container, personas.agent, made.id, {"given_name": given}),
            partial(update, container, personas.agent, made.id, {"postcode": postcode}),
        )
        assert failures(outcomes) == []
    final = read(personas.agent, made.id).fields
    assert (final["given_name"].value, final["postcode"].value) == (
        GIVEN_NAMES[-1],
        POSTCODES[-1],
    )
    stored = stored_terms(container, made.id, COMPOSITE_FIELDS)
    assert stored, "the record has composite terms to compare"
    assert stored == expected_terms(container, made.id, COMPOSITE_FIELDS)


def test_two_merges_of_one_pair_in_opposite_directions_leave_one_tombstone(
    register, personas, container
) -> None:
    first = register(personas.agent).customer
    second = register(personas.agent, {**ADA, "email": "ada@example.org"}).customer
    supervisor = personas.supervisor
    outcomes = at_once(
        partial(merge, container, supervisor, first.id, second.id),
        partial(merge, container, supervisor, second.id, first.id),
    )
    (refused,) = failures(outcomes)
    assert isinstance(refused, NotFound), repr(refused)
    (survivor,) = [o for o in outcomes if not isinstance(o, BaseException)]
    with container.uow().reading() as uow:
        records = {cid: uow.customers.get(cid) for cid in (first.id, second.id)}
    tombstones = [cid for cid, c in records.items() if c.merged_into is not None]
    (duplicate_id,) = {first.id, second.id} - {survivor.id}
    assert tombstones == [duplicate_id]
    assert records[duplicate_id].merged_into == survivor.id
    assert records[survivor.id].merged_into is None
