"""The index of customers an event showed is a copy of the list in its hashed detail: a row
removed, added or changed behind clientkeep's back fails verification at that event, and the
audit page's filter by customer finds the event through it.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete, insert, select, update

from clientkeep.adapters.db.tables import audit_shown
from clientkeep.audit.model import SHOWN
from clientkeep.audit.ports import TrailFilter
from tests.integration.audit.trail import append, entry, exec_sql, verify

ADA, GRACE, JOHN = (f"cus_{c * 24}" for c in "abc")


@pytest.fixture
def trail(container):
    """A trail with, in its middle, a search that showed Ada and Grace, then John's read."""
    append(container, 3)
    with container.uow() as uow:
        search = uow.audit.append(
            entry("customer.searched", detail={"results": 2, SHOWN: f"{ADA},{GRACE}"})
        )
        uow.audit.append(entry("customer.read", customer_id=JOHN))
        uow.commit()
    append(container, 3)
    assert verify(container).ok
    container.search_seq = search.seq
    return container


def rows(container) -> list[tuple[int, str]]:
    with container.engine.connect() as conn:
        found = conn.execute(select(audit_shown.c.seq, audit_shown.c.customer_id))
        return sorted((int(seq), cid) for seq, cid in found)


def page_for(container, customer_id: str) -> list[int]:
    with container.uow().reading() as uow:
        return [e.seq for e in uow.audit.page(TrailFilter(customer_id=customer_id))]


def test_each_customer_listed_is_indexed_and_finds_the_event(trail) -> None:
    at = trail.search_seq
    assert rows(trail) == [(at, ADA), (at, GRACE)]
    assert page_for(trail, ADA) == [at]
    assert page_for(trail, GRACE) == [at]
    # A customer's own events are found as before.
    assert page_for(trail, JOHN) == [at + 1]


def test_appending_several_at_once_indexes_each(container) -> None:
    with container.uow() as uow:
        uow.audit.append_many(
            [
                entry("customer.created", customer_id=JOHN, detail={SHOWN: ADA}),
                entry("review.read", detail={SHOWN: f"{GRACE},{JOHN}"}),
            ]
        )
        uow.commit()
    with container.uow().reading() as uow:
        created, queue = (
            e.seq for e in uow.audit.page(TrailFilter(), limit=2, newest_first=True)[::-1]
        )
    assert rows(container) == [(created, ADA), (queue, GRACE), (queue, JOHN)]
    assert page_for(container, JOHN) == [created, queue]
    assert verify(container).ok


def _removed(at):
    return delete(audit_shown).where(audit_shown.c.customer_id == GRACE)


def _added(at):
    return insert(audit_shown).values(chain="main", seq=at, customer_id=JOHN)


def _changed(at):
    return update(audit_shown).where(audit_shown.c.customer_id == GRACE).values(customer_id=JOHN)


def _added_to_another(at):
    return insert(audit_shown).values(chain="main", seq=at - 2, customer_id=ADA)


def _moved(at):
    return update(audit_shown).where(audit_shown.c.customer_id == GRACE).values(seq=at + 1)


@pytest.mark.parametrize(
    ("tamper", "first_bad"),
    [
        pytest.param(_removed, 0, id="a row removed"),
        pytest.param(_added, 0, id="a row added"),
        pytest.param(_changed, 0, id="a row changed"),
        pytest.param(_added_to_another, -2, id="a row for an event that showed nobody"),
        pytest.param(_moved, 0, id="a row moved to another event"),
    ],
)
def test_an_index_unlike_the_hashed_list_is_named(trail, tamper, first_bad) -> None:
    at = trail.search_seq
    exec_sql(trail, tamper(at))
    result = verify(trail)
    assert not result.ok
    assert result.first_bad_seq == at + first_bad
    assert "copy" in result.problem


def test_a_row_for_an_event_that_is_not_there_is_named(trail, backend) -> None:
    # Only with the database's own checks turned off, as someone editing the file could.
    if backend != "sqlite":
        pytest.skip("PostgreSQL's foreign keys cannot be turned off by a plain connection")
    raw = trail.engine.raw_connection()
    try:  # the driver's own connection, in autocommit: a PRAGMA is ignored inside a transaction
        raw.driver_connection.execute("PRAGMA foreign_keys=OFF")
        raw.driver_connection.execute("INSERT INTO audit_shown VALUES ('main', 99, ?)", (JOHN,))
        raw.driver_connection.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()
    result = verify(trail)
    assert not result.ok and result.first_bad_seq == 99


def test_a_customers_own_events_and_those_that_showed_them_page_together_in_order(
    container,
) -> None:
    from clientkeep.audit.ports import TrailFilter

    with container.uow() as uow:
        seqs = [
            uow.audit.append(entry("customer.read", customer_id=ADA)).seq,
            uow.audit.append(entry("customer.searched", detail={SHOWN: f"{GRACE},{ADA}"})).seq,
            uow.audit.append(entry("customer.read", customer_id=JOHN)).seq,
            uow.audit.append(entry("review.read", detail={SHOWN: f"{ADA},{JOHN}"})).seq,
            uow.audit.append(entry("customer.read", customer_id=ADA)).seq,
        ]
        uow.commit()
    mine = [seqs[0], seqs[1], seqs[3], seqs[4]]
    with container.uow().reading() as uow:

        def walk(newest_first: bool, **filters) -> list[int]:
            found, where = [], TrailFilter(customer_id=ADA, **filters)
            while page := uow.audit.page(where, limit=2, newest_first=newest_first):
                found += [e.seq for e in page]
                last = page[-1].seq
                where = (
                    replace(where, before_seq=last)
                    if newest_first
                    else replace(where, after_seq=last)
                )
            return found

        assert walk(False) == mine
        assert walk(True) == mine[::-1]
        assert walk(True, action="customer.read") == [seqs[4], seqs[0]]
        assert walk(False, action="review.read") == [seqs[3]]
