"""The list of customers on real storage: keyset pages through the book in the order the
database keeps, each customer once, ties broken by id, both ways; the SQL walk agrees with
the in-memory store the unit tests use; every page is in the trail for each customer shown."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.audit.ports import TrailFilter
from clientkeep.customers import listing
from clientkeep.customers.model import Customer, FieldRecord, Source
from clientkeep.customers.ports import DuplicateSuspect, ListPosition, ListSpec
from clientkeep.customers.views import staleness_cutoffs
from tests.fakes.customers import FakeCustomerRepository, FakeDuplicateRepository

BOOK = 250
SURNAMES = ("Smith", "Jones", "Taylor", "Brown", "Wilson")


def book(clock) -> list[Customer]:
    """250 customers added in groups of ten sharing one instant (ties), then one in three
    changed later, and one in four with a value confirmed long ago."""
    start = clock.now() - timedelta(days=900)
    made = []
    for n in range(BOOK):
        created = start + timedelta(hours=n // 10)
        updated = created + timedelta(days=400) if n % 3 == 0 else created
        confirmed = created if n % 4 == 0 else clock.now()
        fields = {
            "given_name": FieldRecord("Pat", created, "stf_x", Source.PHONE, confirmed, "phone"),
            "family_name": FieldRecord(
                SURNAMES[n % 5], created, "stf_x", Source.PHONE, confirmed, "phone"
            ),
            "email": FieldRecord(f"p{n}@example.com", created, "stf_x", Source.PHONE, clock.now()),
        }
        made.append(
            Customer(id=f"cus_{n:024d}", created_at=created, updated_at=updated, fields=fields)
        )
    return made


@pytest.fixture
def stored(container):
    customers = book(container.clock)
    with container.uow() as uow:
        uow.customers.add_many([(c, []) for c in customers])
        for n in range(0, 40, 8):
            uow.duplicates.add(
                DuplicateSuspect(
                    f"dup_{n}",
                    customers[n + 1].id,
                    customers[n + 2].id,
                    ("same email",),
                    container.clock.now(),
                )
            )
        uow.customers.mark_merged(customers[249].id, customers[0].id, container.clock.now())
        uow.commit()
    return customers


def page(container, persona, **options):
    return listing.list_customers(
        listing.ListQuery(purpose="service", **options),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
    )


def walk(container, persona, *, limit=40, **options):
    pages = [page(container, persona, limit=limit, **options)]
    while pages[-1].next_cursor:
        pages.append(page(container, persona, limit=limit, cursor=pages[-1].next_cursor, **options))
    return pages


@pytest.mark.parametrize(
    ("sort", "order", "key"),
    [
        ("updated", "desc", "updated_at"),
        ("updated", "asc", "updated_at"),
        ("created", "desc", "created_at"),
        ("created", "asc", "created_at"),
    ],
)
def test_paging_through_250_customers_shows_each_once_in_order(
    container, personas, stored, sort, order, key
) -> None:
    pages = walk(container, personas.agent, sort=sort, order=order)
    seen = [i.customer_id for p in pages for i in p.items]
    live = [c for c in stored if c.id != stored[249].id]
    expected = sorted(live, key=lambda c: (getattr(c, key), c.id), reverse=order == "desc")
    assert seen == [c.id for c in expected]
    assert len(pages) == 7 and len(set(seen)) == BOOK - 1
    # Back from the last page, page by page, to the first.
    back = [pages[-1]]
    while back[-1].prev_cursor:
        back.append(page(container, personas.agent, sort=sort, order=order, limit=40,
                         cursor=back[-1].prev_cursor))  # fmt: skip
    assert [[i.customer_id for i in p.items] for p in reversed(back)] == [
        [i.customer_id for i in p.items] for p in pages
    ]


def test_needs_review_first_pages_through_both_groups_each_once(
    container, personas, stored
) -> None:
    pages = walk(container, personas.agent, sort="needs_review", limit=30)
    items = [i for p in pages for i in p.items]
    assert len({i.customer_id for i in items}) == len(items) == BOOK - 1
    flags = [i.needs_review for i in items]
    assert flags == sorted(flags, reverse=True)  # every one needing review comes first
    flagged = {i.customer_id for i in items if i.needs_review}
    assert {c.id for n, c in enumerate(stored) if n % 4 == 0 and n != 249} <= flagged
    assert {stored[n].id for n in (1, 2, 9, 10)} <= flagged
    only = [
        i.customer_id for p in walk(container, personas.agent, needs_review=True) for i in p.items
    ]
    assert set(only) == flagged


def test_the_sql_walk_agrees_with_the_in_memory_store(container, stored) -> None:
    fake = FakeCustomerRepository()
    suspects = FakeDuplicateRepository(fake)
    fake.add_many([(c, []) for c in stored])
    fake.mark_merged(stored[249].id, stored[0].id, container.clock.now())
    with container.uow() as uow:
        for s in uow.duplicates.open(limit=100):
            suspects.add(s)
    cutoffs = staleness_cutoffs(container.policy, container.clock.now())
    middle = ListPosition(0, stored[120].created_at, stored[120].id)
    specs = [
        ListSpec(key, descending, review_first, cutoffs, needs_review_only=only)
        for key in ("created_at", "updated_at")
        for descending in (True, False)
        for review_first in (True, False)
        for only in (True, False)
    ]
    with container.uow() as uow:
        for spec in specs:
            for start, backwards in ((None, False), (None, True), (middle, False), (middle, True)):
                if start is not None and spec.key == "updated_at":
                    start = ListPosition(1 if spec.review_first else 0, stored[120].updated_at,
                                         stored[120].id)  # fmt: skip
                got = uow.customers.list_live(spec, start=start, backwards=backwards, limit=25)
                want = fake.list_live(spec, start=start, backwards=backwards, limit=25)
                assert got == want, (spec, start, backwards)
        ids = [c.id for c in stored[:12]]
        assert uow.customers.stale_fields(ids, cutoffs) == fake.stale_fields(ids, cutoffs)
        assert uow.customers.count_stale(cutoffs) == fake.count_stale(cutoffs) > 0
        assert uow.duplicates.suspected_among(ids) == suspects.suspected_among(ids)
        assert uow.duplicates.count_open() == suspects.count_open() == 5


def test_a_page_is_found_by_each_customer_it_showed_in_the_trail(
    container, personas, stored
) -> None:
    shown = page(container, personas.agent, limit=5)
    with container.uow() as uow:
        for item in shown.items:
            (event,) = uow.audit.page(
                TrailFilter(customer_id=item.customer_id, action="customer.listed"), limit=10
            )
            assert event.entry.actor_id == personas.agent.actor.id


def test_each_line_shows_the_name_opened_from_its_sealed_value(container, personas, stored) -> None:
    first = page(container, personas.agent, sort="created", order="asc", limit=3)
    assert [i.display_name for i in first.items] == ["Pat Smith", "Pat Jones", "Pat Taylor"]
    named = page(container, personas.agent, sort="created", order="asc", limit=3, page_by_name=True)
    assert [i.display_name for i in named.items] == ["Pat Jones", "Pat Smith", "Pat Taylor"]
