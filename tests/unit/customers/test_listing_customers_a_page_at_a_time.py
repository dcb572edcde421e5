"""The list of customers: keyset pages in an order the database keeps (last changed, added,
needing review first), ties broken by id, cursors both ways; each line cut by the read's
projection; one audit event per page naming everyone on it; purposes without names refused."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import pytest

from clientkeep.customers import listing
from clientkeep.customers.ports import DuplicateSuspect
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.unit.conftest import ADA

GIVEN = ("Ann", "Ben", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jo")
POSTCODES = ("LS1 4AP", "M1 1AE", "SW1A 1AA", "EH1 1YZ", "B1 1AA", "CF10 1EP", "G1 1AA")


def person(n: int, **extra: str) -> dict[str, str]:
    """Nobody alike: no two share a name, an email or a postcode, so none is a suspect."""
    return {
        "given_name": GIVEN[n],
        "family_name": "Tester",
        "email": f"person{n}@example.com",
        "postcode": POSTCODES[n % len(POSTCODES)],
        **extra,
    }


@pytest.fixture
def book(register, clock):
    """Seven customers: three added at one instant (a tie), then one a minute for four."""
    made = [register(person(n)).customer for n in range(3)]
    for n in range(3, 7):
        clock.advance(timedelta(minutes=1))
        made.append(register(person(n)).customer)
    return made


@pytest.fixture
def page(uow, policy, clock, personas):
    def _page(purpose="service", *, by=None, **options):
        return listing.list_customers(
            listing.ListQuery(purpose=purpose, **options),
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )

    return _page


def expected_order(customers, *, key="created_at", descending=True):
    return [
        c.id for c in sorted(customers, key=lambda c: (getattr(c, key), c.id), reverse=descending)
    ]


def ids(page) -> list[str]:
    return [i.customer_id for i in page.items]


@pytest.mark.parametrize(
    ("sort", "order", "key"),
    [
        ("updated", "desc", "updated_at"),
        ("updated", "asc", "updated_at"),
        ("created", "desc", "created_at"),
        ("created", "asc", "created_at"),
    ],
)
def test_paging_on_visits_everyone_once_in_order_ties_broken_by_id(
    book, page, sort, order, key
) -> None:
    seen, cursor, pages = [], None, 0
    while True:
        got = page(sort=sort, order=order, limit=2, cursor=cursor)
        seen += ids(got)
        pages += 1
        if got.next_cursor is None:
            break
        cursor = got.next_cursor
    assert seen == expected_order(book, key=key, descending=order == "desc")
    assert pages == 4  # 2 + 2 + 2 + 1: the last page says there is no more


def test_previous_cursors_lead_back_through_the_same_pages(book, page) -> None:
    first = page(limit=3)
    assert first.prev_cursor is None
    second = page(limit=3, cursor=first.next_cursor)
    third = page(limit=3, cursor=second.next_cursor)
    assert (len(third.items), third.next_cursor) == (1, None)
    back = page(limit=3, cursor=third.prev_cursor)
    assert ids(back) == ids(second)
    top = page(limit=3, cursor=back.prev_cursor)
    assert ids(top) == ids(first) and top.prev_cursor is None
    assert ids(page(limit=3, cursor=top.next_cursor)) == ids(second)


def test_a_change_moves_a_customer_to_the_front_of_last_changed(
    book, page, uow, policy, clock, personas
) -> None:
    from clientkeep.customers import services as customers

    clock.advance(timedelta(days=1))
    oldest = book[0]
    customers.update(
        oldest.id,
        customers.UpdateCustomer(
            purpose="service",
            fields={"email": "moved@example.com"},
            reason="new address",
            source="internal_records",
        ),
        uow=uow,
        actor=personas.agent.actor,
        policy=policy,
        clock=clock,
    )
    assert ids(page(limit=1)) == [oldest.id]
    assert ids(page(sort="created", limit=1)) == [book[-1].id]


def test_merged_customers_are_not_listed(book, page, uow, clock) -> None:
    uow.customers.mark_merged(book[1].id, book[0].id, clock.now())
    assert book[1].id not in ids(page(limit=100))
    assert len(page(limit=100).items) == len(book) - 1


def test_a_line_shows_what_tells_people_apart_as_far_as_the_projection_shows_it(
    register, page
) -> None:
    ada = register(ADA).customer
    (line,) = page().items
    assert (line.display_name, line.postcode_district, line.birth_year) == (
        "Ada Lovelace",
        "SW1A",
        1985,
    )
    assert line.reference == ada.reference.value
    assert line.fields_shown == (
        "customer_reference",
        "date_of_birth",
        "family_name",
        "given_name",
        "postcode",
    )
    # Billing does not use the date of birth: no year, and the trail does not say it was shown.
    (billed,) = page("billing").items
    assert billed.birth_year is None and "date_of_birth" not in billed.fields_shown
    assert billed.reference == ada.reference.value


def test_each_page_is_one_event_naming_everyone_it_showed(book, page, uow) -> None:
    before = len(uow.audit.events)
    shown = page(limit=3)
    (event,) = (e.entry for e in uow.audit.events[before:])
    assert event.action == "customer.listed" and event.purpose == "service"
    assert event.customers == tuple(ids(shown))
    assert set(event.fields) == {"family_name", "given_name", "postcode", "customer_reference"}
    assert event.detail["results"] == 3


def test_a_page_showing_one_customer_names_them_on_its_event(register, page, uow) -> None:
    ada = register(ADA).customer
    before = len(uow.audit.events)
    page()
    (event,) = (e.entry for e in uow.audit.events[before:])
    assert event.customer_id == ada.id


def test_a_page_is_committed_with_its_event(book, page, uow) -> None:
    commits = uow.commits
    page()
    assert uow.commits == commits + 1


@pytest.mark.parametrize(
    ("purpose", "role"),
    [("identity_verification", "agent"), ("marketing", "agent"), ("service", "admin")],
)
def test_a_purpose_or_role_that_may_not_show_names_may_not_list(
    book, page, personas, uow, purpose, role
) -> None:
    before = len(uow.audit.events)
    with pytest.raises(PermissionDenied):
        page(purpose, by=getattr(personas, role))
    (denied,) = (e.entry for e in uow.audit.events[before:])
    assert (denied.action, str(denied.outcome)) == ("customer.listed", "denied")
    assert denied.customers == ()


def confirm_all(customer_id, uow, policy, clock, personas) -> None:
    from clientkeep.customers import services as customers

    customers.confirm(
        customer_id,
        [n for n in uow.customers.get(customer_id).fields if not policy.fields[n].system],
        "phone",
        purpose="service",
        uow=uow,
        actor=personas.agent.actor,
        policy=policy,
        clock=clock,
    )


def test_needs_review_first_then_by_last_changed(book, page, uow, policy, clock, personas) -> None:
    clock.advance(timedelta(days=400))
    # The last two are confirmed again now; a duplicate suspicion flags one of them.
    for c in book[5:]:
        confirm_all(c.id, uow, policy, clock, personas)
    uow.duplicates.add(
        DuplicateSuspect("dup_1", book[6].id, book[0].id, ("same email",), clock.now())
    )
    got = page(sort="needs_review", limit=100)
    flagged = [i.customer_id for i in got.items if i.needs_review]
    assert ids(got)[: len(flagged)] == flagged  # everyone needing review comes first
    assert book[5].id not in flagged and book[6].id in flagged
    by_id = {i.customer_id: i for i in got.items}
    assert by_id[book[6].id].suspected_duplicate and not by_id[book[6].id].stale_fields
    assert set(by_id[book[1].id].stale_fields) >= {"email", "given_name", "family_name"}
    # The filter keeps only those, and pages through them in the same order.
    only = [page(sort="needs_review", needs_review=True, limit=2)]
    while only[-1].next_cursor:
        only.append(
            page(sort="needs_review", needs_review=True, limit=2, cursor=only[-1].next_cursor)
        )
    assert [i for p in only for i in ids(p)] == flagged
    assert book[5].id not in ids(page(stale_only=True, limit=100))


def test_paging_back_crosses_from_the_rest_into_those_needing_review(
    book, page, uow, clock
) -> None:
    uow.duplicates.add(
        DuplicateSuspect("dup_1", book[2].id, book[3].id, ("same email",), clock.now())
    )
    whole = ids(page(sort="needs_review", limit=100))
    assert set(whole[:2]) == {book[2].id, book[3].id}
    first = page(sort="needs_review", limit=3)
    second = page(sort="needs_review", limit=3, cursor=first.next_cursor)
    assert ids(first) + ids(second) == whole[:6]
    assert ids(page(sort="needs_review", limit=3, cursor=second.prev_cursor)) == ids(first)


def test_sorting_by_name_arranges_only_the_page_and_keeps_the_cursors(
    register, page, clock
) -> None:
    for n, family in enumerate(("Young", "Adams", "Moss", "Brown")):
        clock.advance(timedelta(minutes=1))
        register({**person(n), "family_name": family})
    plain = page(limit=3)  # the three added last: Brown, Moss, Adams
    named = page(limit=3, page_by_name=True)
    assert [i.display_name for i in named.items] == ["Ben Adams", "Dee Brown", "Cal Moss"]
    assert set(ids(named)) == set(ids(plain)) and named.by_name
    assert (named.next_cursor, named.prev_cursor) == (plain.next_cursor, plain.prev_cursor)


def test_dates_bound_the_list_at_both_ends_inclusive(register, page, clock) -> None:
    first = register(person(1)).customer
    clock.advance(timedelta(days=2))
    second = register(person(2)).customer
    day = first.created_at.date().isoformat()
    assert ids(page(created_to=day)) == [first.id]
    assert ids(page(created_from=day, created_to=day)) == [first.id]
    assert ids(page(updated_from=second.updated_at.date().isoformat())) == [second.id]


def forged(*parts) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-a-cursor",
        "bm9wZTox",
        forged(1, "after", "created", "desc", 0, "2026-11-23T09:30:00+00:00", "cus_x"),
        forged(1, "sideways", "updated", "desc", 0, "2026-11-23T09:30:00+00:00", "cus_x"),
        forged(1, "after", "updated", "desc", 0, "yesterday", "cus_" + "a" * 24),
        forged(1, "after", "updated", "desc", 0, "2026-11-23T09:30:00", "cus_" + "a" * 24),
        forged(1, "after", "updated", "desc", 7, "2026-11-23T09:30:00+00:00", "cus_" + "a" * 24),
    ],
)
def test_a_cursor_not_issued_for_this_order_is_refused_naming_the_cursor(
    book, page, cursor
) -> None:
    with pytest.raises(InvalidInput) as refused:
        page(cursor=cursor)
    assert [f for f, _ in refused.value.errors] == ["cursor"]


def test_a_cursor_from_another_order_is_refused(book, page) -> None:
    by_created = page(sort="created", limit=2)
    with pytest.raises(InvalidInput) as refused:
        page(sort="updated", limit=2, cursor=by_created.next_cursor)
    assert [f for f, _ in refused.value.errors] == ["cursor"]


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"sort": "name"}, "sort"),
        ({"order": "up"}, "order"),
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"created_from": "23/11/2026"}, "created_from"),
        ({"updated_to": "2026-13-01"}, "updated_to"),
    ],
)
def test_bad_options_are_refused_naming_each(book, page, options, field) -> None:
    with pytest.raises(InvalidInput) as refused:
        page(**options)
    assert [f for f, _ in refused.value.errors] == [field]
