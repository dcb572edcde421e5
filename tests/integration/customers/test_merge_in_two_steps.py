"""Merging in two steps on real storage: the preview reads both records and writes nothing
but its audit event; the merge, given the preview's digest, merges exactly what was shown,
and refuses without changing anything when a record changed in between."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from clientkeep.adapters.db.customer_tables import blind_index
from clientkeep.audit.ports import TrailFilter
from clientkeep.customers import merge as merging
from clientkeep.customers import merge_preview as previewing
from clientkeep.customers import services as customers
from tests.integration.customers.conftest import audit_events

RHYS = {
    "given_name": "Rhys",
    "family_name": "Jones",
    "email": "Rhys.Jones@Example.COM",
    "phone": "020 7946 0018",
    "postcode": "sw1a1aa",
    "town": "London",
}
REES = {
    "given_name": "Rees",
    "family_name": "Jones",
    "preferred_name": "Bob",
    "email": "rhys.jones@example.com",
    "phone": "07700 123456",
    "postcode": "SW1A 1AA",
}


@pytest.fixture
def pair(register, personas):
    return (
        register(personas.agent, RHYS).customer.id,
        register(personas.agent, REES).customer.id,
    )


def preview(container, persona, survivor, duplicate, *, name=False, take=()):
    return previewing.preview_merge(
        survivor,
        previewing.PreviewMerge(
            duplicate,
            "service",
            previewing.MergeChoices(name_from_duplicate=name, take_from_duplicate=frozenset(take)),
        ),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=container.record_kinds,
    )


def merge(container, persona, survivor, duplicate, digest, *, name=False, take=()):
    return merging.merge(
        survivor,
        merging.MergeCustomers(
            duplicate_id=duplicate,
            reason="same person twice",
            purpose="service",
            take_from_duplicate=frozenset(take),
            name_from_duplicate=name,
            preview_digest=digest,
        ),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=container.record_kinds,
    )


def stored(container, *customer_ids):
    """Every row of every kind the customers hold, opened, and how many events there are."""
    with container.uow().reading() as uow:
        rows = {
            (kind.name, cid): sorted(repr(p) for p in kind.pack(uow, cid))
            for kind in container.record_kinds
            for cid in customer_ids
        }
        events = len(uow.audit.page(TrailFilter(), limit=10_000))
    return rows, events


def test_the_preview_writes_only_its_read_which_names_both(container, personas, pair) -> None:
    rhys, rees = pair
    rows, events = stored(container, rhys, rees)
    p = preview(container, personas.supervisor, rhys, rees, name=True)
    after, events_after = stored(container, rhys, rees)
    assert after == rows and events_after == events + 1
    [event] = audit_events(container, "customer.read")[-1:]
    assert sorted(event.entry.customers) == sorted([rhys, rees])
    assert {r.name: r.source for r in p.rows}["email"] == "both"


def test_the_merge_reads_as_previewed_and_the_name_stays_whole(
    container, personas, pair, read
) -> None:
    rhys, rees = pair
    assert preferred_name_terms(container, rees) > 0
    p = preview(container, personas.supervisor, rhys, rees, take={"phone"})
    merged = merge(container, personas.supervisor, rhys, rees, p.digest, take={"phone"})
    assert {n: f.display for n, f in merged.fields.items()} == {
        r.name: r.result for r in p.rows if r.result is not None
    }
    assert read(personas.agent, rhys).display_name == "Rhys Jones"
    # The duplicate's preferred name was not kept, nor any index term of it.
    with container.uow().reading() as uow:
        assert uow.customers.get(rhys).value("preferred_name") is None
    assert preferred_name_terms(container, rhys) == 0


def preferred_name_terms(container, customer_id):
    with container.engine.connect() as conn:
        return conn.execute(
            select(func.count())
            .select_from(blind_index)
            .where(
                blind_index.c.customer_id == customer_id,
                blind_index.c.field == "preferred_name",
            )
        ).scalar_one()


def test_a_record_changed_after_the_preview_is_not_merged(container, personas, pair) -> None:
    rhys, rees = pair
    p = preview(container, personas.supervisor, rhys, rees)
    customers.update(
        rees,
        customers.UpdateCustomer(
            purpose="service", fields={"town": "Leeds"}, reason="moved", source="internal_records"
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    rows, events = stored(container, rhys, rees)
    with pytest.raises(merging.MergePreviewOutdated):
        merge(container, personas.supervisor, rhys, rees, p.digest)
    assert stored(container, rhys, rees) == (rows, events)
    again = preview(container, personas.supervisor, rhys, rees)
    merge(container, personas.supervisor, rhys, rees, again.digest)
    with container.uow().reading() as uow:
        assert uow.customers.get(rees).merged_into == rhys
