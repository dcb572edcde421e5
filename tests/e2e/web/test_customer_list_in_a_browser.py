"""The list of customers in a real browser: a page at a time with next and previous links,
sorted by last change or date added, filtered to those needing review, a page arranged by
name, a caption saying why names cannot be sorted across the book; and search results that
tell two people of one name apart. Every step is a link or a GET form, so a reload shows the
same page and changes nothing; every page is checked by axe-core and fits 1280 pixels."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from clientkeep.customers import services as customers
from tests.e2e.web.conftest import sign_in_browser as sign_in

pytestmark = pytest.mark.browser

GIVEN = (
    "Ann", "Ben", "Cal", "Dee", "Eve", "Fay", "Gus", "Hal", "Ivy", "Jon", "Kit", "Lee", "Max",
    "Ned", "Oli", "Pam", "Quin", "Ros", "Sid", "Tam", "Una", "Vic", "Wyn", "Xan", "Yve", "Zac",
    "Abe", "Bea",
)  # fmt: skip
POSTCODES = ("LS1 4AP", "M1 1AE", "EH1 1YZ", "B1 1AA", "CF10 1EP", "G1 1AA", "NE1 1AD")


def add(container, persona, fields):
    return customers.register(
        customers.RegisterCustomer(purpose="service", fields=fields, source="phone"),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    )


@pytest.fixture
def book(container, personas):
    """28 people, a minute apart (more than a page of 25), then two Jane Smiths."""
    made = []
    for n, given in enumerate(GIVEN):
        made.append(
            add(
                container,
                personas.agent,
                {
                    "given_name": given,
                    "family_name": "Tester",
                    "email": f"{given.lower()}@example.com",
                    "postcode": POSTCODES[n % len(POSTCODES)],
                },
            ).customer
        )
        container.clock.advance(timedelta(minutes=1))
    for postcode, born, email in (
        ("LS1 4AP", "1970-03-14", "jane.leeds@example.com"),
        ("SW1A 1AA", "1992-07-01", "jane.london@example.org"),
    ):
        made.append(
            add(
                container,
                personas.agent,
                {
                    "given_name": "Jane",
                    "family_name": "Smith",
                    "email": email,
                    "postcode": postcode,
                    "date_of_birth": born,
                },
            ).customer
        )
        container.clock.advance(timedelta(minutes=1))
    return made


def row_names(page) -> list[str]:
    return page.locator("table.customer-list tbody th[scope=row]").all_inner_texts()


def shoot(page, name: str) -> None:
    """A screenshot to look at the layout, where CLIENTKEEP_SCREENSHOTS names a folder."""
    folder = os.environ.get("CLIENTKEEP_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"customer-list-{name}.png"), full_page=True)


def fits(page) -> None:
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280


def reload_repeats_nothing(page, axe, container) -> None:
    """The same page again, and nobody added, changed or merged."""
    before, url = row_names(page), page.url
    with container.uow() as uow:
        held = uow.customers.live_ids(after=None, limit=100)
    page.reload()
    axe()
    assert page.url == url and row_names(page) == before
    with container.uow() as uow:
        assert uow.customers.live_ids(after=None, limit=100) == held


def test_paging_sorting_and_the_needs_review_filter(page, axe, personas, container, book) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, personas.agent)
    page.goto("/")
    axe()
    page.get_by_role("link", name="browse the list of customers").click()
    page.wait_for_url("**/customers/list**")
    axe()
    fits(page)
    caption = page.locator("table.customer-list caption").inner_text()
    assert "last changed" in caption and "cannot be sorted" in caption and "encrypted" in caption
    shoot(page, "first-page")
    first = row_names(page)
    assert len(first) == 25 and first[:2] == ["Jane Smith", "Jane Smith"]
    reload_repeats_nothing(page, axe, container)

    page.get_by_role("link", name="Next page →").click()
    page.wait_for_url("**cursor=**")
    axe()
    second = row_names(page)
    assert len(second) == 5 and not set(second) & set(first)
    assert page.get_by_role("link", name="Next page →").count() == 0
    reload_repeats_nothing(page, axe, container)

    page.get_by_role("link", name="← Previous page").click()
    page.wait_for_load_state("load")
    axe()
    assert row_names(page) == first

    page.get_by_label("Sort by").select_option("created")
    page.get_by_label("Order").select_option("asc")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**sort=created**")
    axe()
    assert row_names(page)[:3] == ["Ann Tester", "Ben Tester", "Cal Tester"]
    assert "date added, oldest first" in page.locator("caption").inner_text()
    reload_repeats_nothing(page, axe, container)

    page.get_by_role("link", name="Sort this page by name").click()
    page.wait_for_url("**by_name=1**")
    axe()
    by_name = row_names(page)
    families = [n.split()[-1] for n in by_name]
    assert (
        families == sorted(families)
        and "arranged by family name" in page.locator("caption").inner_text()
    )

    # A third record with Ann's email is a suspected duplicate: both need review.
    ann = book[0]
    add(
        container,
        personas.agent,
        {"given_name": "Ann", "family_name": "Tester", "email": "ann@example.com"},
    )
    page.goto("/customers/list")
    axe()
    page.get_by_label("Only those needing review").check()
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**needs_review=1**")
    axe()
    assert row_names(page) == ["Ann Tester", "Ann Tester"]
    assert page.locator(f"table.customer-list a[href^='/customers/{ann.id}']").count() == 1
    assert "suspected duplicate" in page.locator("table.customer-list tbody").inner_text()
    shoot(page, "needs-review")
    reload_repeats_nothing(page, axe, container)


def test_search_results_tell_two_people_of_one_name_apart(
    page, axe, personas, container, book
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, personas.agent)
    page.goto("/customers")
    axe()
    page.get_by_label("Email, phone, postcode, name or reference").fill("Jane Smith")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="2 found").wait_for()
    axe()
    fits(page)
    rows = page.locator("table.search-results tbody tr").all_inner_texts()
    leeds = next(r for r in rows if "LS1" in r)
    london = next(r for r in rows if "SW1A" in r)
    assert "1970" in leeds and book[-2].reference.value in leeds
    assert "1992" in london and book[-1].reference.value in london
    assert "1970-03-14" not in page.content()
    shoot(page, "search-results")
    # A reload sends the search again: the same two people, and nothing stored changes.
    with container.uow() as uow:
        held = uow.customers.live_ids(after=None, limit=100)
    page.reload()
    page.get_by_role("heading", name="2 found").wait_for()
    axe()
    assert sorted(page.locator("table.search-results tbody tr").all_inner_texts()) == sorted(rows)
    with container.uow() as uow:
        assert uow.customers.live_ids(after=None, limit=100) == held
