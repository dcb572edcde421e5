"""In a real browser: under the service purpose the customer page hides contact and identity
details until the agent has verified the caller, each with a link to the check; a pass shows
them all under a banner saying how and until when; staff away from the phone may show them
for one page view, choosing why; the review queue lists customers whose checks are locked; a
second code at once is refused on the page. axe-core finds nothing on any page."""

from __future__ import annotations

import re

import pytest

from clientkeep.audit.ports import TrailFilter
from clientkeep.customers import services as customers
from clientkeep.verification import services as verification
from tests.e2e.web.conftest import sign_in_browser as sign_in
from tests.e2e.web.test_browser_customer_records import axe

pytestmark = pytest.mark.browser

FIELDS = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada@example.com",
    "phone": "020 7946 0018",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1979-03-14",
    "address_line1": "12 Example Street",
    "town": "London",
}
SHOWN_AS = ("ada@example.com", "020 7946 0018", "SW1A 1AA", "12 Example Street", "London")
HIDDEN = "Hidden until you verify the caller"


@pytest.fixture
def ada(container, personas) -> str:
    return customers.register(
        customers.RegisterCustomer(purpose="service", fields=dict(FIELDS), source="phone"),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id


def open_record(page, customer_id) -> str:
    page.goto(f"/customers/{customer_id}?purpose=service")
    page.get_by_role("heading", name="Ada Lovelace", exact=True).wait_for()
    axe(page)
    return page.locator("main").inner_text()


def test_details_stay_hidden_until_the_caller_is_verified(page, personas, ada, container) -> None:
    sign_in(page, personas.agent)
    text = open_record(page, ada)
    for value in SHOWN_AS:
        assert value not in page.content()
    assert text.count(HIDDEN) == 6  # email, phone, line 1, town, postcode, date of birth
    assert "Ada" in text and "Lovelace" in text
    assert page.locator("#caller-verified").count() == 0

    page.locator("#masked_email").get_by_role("link", name=HIDDEN).click()
    page.get_by_role("heading", name="Verify the caller: Ada Lovelace").wait_for()
    axe(page)
    for value in SHOWN_AS:
        assert value not in page.content()
    page.get_by_label("Date of birth", exact=True).fill("14 March 1979")
    page.get_by_label("Postcode", exact=True).fill("sw1a1aa")
    page.get_by_role("button", name="Check", exact=True).click()
    page.locator("#verification-result").wait_for()
    axe(page)

    page.get_by_role("navigation", name="Customer record").get_by_role(
        "link", name="Details"
    ).click()
    page.get_by_role("heading", name="Ada Lovelace", exact=True).wait_for()
    axe(page)
    banner = page.locator("#caller-verified").inner_text()
    now = container.clock.now()
    assert re.fullmatch(
        r"Caller verified by the details they stated at \d\d:\d\d UTC, until \d\d:\d\d UTC",
        banner.strip(),
    )
    assert f"at {now:%H:%M} UTC" in banner
    for value in SHOWN_AS:
        assert value in page.content()
    assert HIDDEN not in page.content()
    assert (
        page.get_by_role("button", name="Show details: I am not speaking to the customer").count()
        == 0
    )


def test_details_shown_away_from_the_phone_for_one_view_with_a_reason(
    page, personas, ada, container
) -> None:
    sign_in(page, personas.agent)
    open_record(page, ada)
    show = page.get_by_role("button", name="Show details: I am not speaking to the customer")
    show.click()
    page.locator("#reason-error").wait_for()
    axe(page)
    assert HIDDEN in page.content()
    for value in SHOWN_AS:
        assert value not in page.content()

    page.get_by_label("Returned post").check()
    page.get_by_role("button", name="Show details: I am not speaking to the customer").click()
    page.locator("#details-revealed").wait_for()
    axe(page)
    assert "returned post" in page.locator("#details-revealed").inner_text()
    for value in SHOWN_AS:
        assert value in page.content()
    with container.uow().reading() as uow:
        [event] = uow.audit.page(TrailFilter(customer_id=ada, action="customer.revealed"))
    assert event.entry.detail == {"reason": "returned_post"}

    open_record(page, ada)  # another view: hidden again
    assert HIDDEN in page.content() and "ada@example.com" not in page.content()


def test_the_review_queue_lists_locked_checks(page, personas, ada, container) -> None:
    for _ in range(3):
        verification.check_knowledge(
            ada,
            verification.KnowledgeCheck(
                answers={"date_of_birth": "01/01/1990", "postcode": "EC1A 1BB"}
            ),
            uow=container.uow(),
            actor=personas.agent.actor,
            policy=container.policy,
            clock=container.clock,
        )
    sign_in(page, personas.supervisor)
    page.goto("/review")
    page.get_by_role("heading", name="Caller checks locked now (1)").wait_for()
    axe(page)
    row = page.locator("#lockouts tbody tr")
    assert row.count() == 1
    cells = row.first.inner_text()
    assert "Ada Lovelace" in cells and "3 since" in cells and "(agent)" in cells
    for value in ("1990", "EC1A", "SW1A", "1979"):
        assert value not in page.content()
    row.first.get_by_role("link", name="Ada Lovelace").click()
    page.get_by_role("heading", name="Verify the caller: Ada Lovelace").wait_for()
    axe(page)


def test_a_second_code_at_once_is_refused_on_the_page(page, personas, ada) -> None:
    sign_in(page, personas.agent)
    page.goto(f"/customers/{ada}/verify?purpose=service")
    page.get_by_role("heading", name="Verify the caller: Ada Lovelace").wait_for()
    axe(page)
    page.get_by_role("button", name="Send a code").click()
    page.locator("#verification-result").wait_for()
    axe(page)
    assert "Code sent" in page.locator("#verification-result").inner_text()
    page.get_by_role("button", name="Send a code").click()
    page.wait_for_url(re.compile("result=code_wait"))
    axe(page)
    said = page.locator("#verification-result").inner_text()
    assert said.startswith("No code sent") and re.search(r"after \d\d:\d\d:\d\d UTC", said)
