"""Representatives in a real browser, axe-core on every page: an agent records one from the
customer's Representatives tab, a supervisor approves them, and the agent verifies a caller as
that representative with their own answers and lands on "Tell the caller", where telling them
a detail in their scope works. No page shows their answers."""

from __future__ import annotations

import pytest

from tests.e2e.web.conftest import sign_in_browser as sign_in
from tests.e2e.web.test_browser_customer_records import axe
from tests.e2e.web.test_verifying_a_caller_in_a_browser import ada

pytestmark = pytest.mark.browser
__all__ = ["ada"]  # the fixture, used by name below

CANARY = "YO31 7QZ"


def open_tab(page, customer_id) -> None:
    page.goto(f"/customers/{customer_id}?purpose=service")
    page.get_by_role("heading", name="Ada Lovelace").wait_for()
    axe(page)
    page.get_by_role("navigation", name="Customer record").get_by_role(
        "link", name="Representatives"
    ).click()
    page.get_by_role("heading", name="Representatives", exact=True).wait_for()
    axe(page)


def sign_out(page) -> None:
    page.context.clear_cookies()


def test_record_approve_verify_and_tell_a_representative(page, personas, ada, container) -> None:
    sign_in(page, personas.agent)
    open_tab(page, ada)
    form = page.locator("form#add")
    form.get_by_label("Their name", exact=True).fill("Byron Lovelace")
    form.get_by_label("Relationship to the customer").fill("son")
    form.get_by_label("Authority", exact=True).select_option("lasting_power_of_attorney")
    form.get_by_label("Evidence seen").fill("the registered LPA, original")
    form.get_by_label("Email address", exact=True).check()
    form.get_by_label("Be told these details").check()
    form.get_by_label("Their date of birth").fill("2 July 1961")
    # A slip first: the postcode is left out, so too few answers; nothing is recorded.
    form.get_by_role("button", name="Record, pending approval").click()
    page.locator(".error-summary").wait_for()
    axe(page)
    assert CANARY not in page.content() and "1961" not in page.content()
    form = page.locator("form#add")
    form.get_by_label("Their date of birth").fill("2 July 1961")
    form.get_by_label("Their postcode").fill(CANARY)
    form.get_by_role("button", name="Record, pending approval").click()
    page.locator("#notice").wait_for()
    axe(page)
    assert "pending" in page.locator("section.representative").inner_text()
    assert CANARY not in page.content()

    sign_out(page)
    sign_in(page, personas.supervisor)
    open_tab(page, ada)
    decision = page.locator("form[id^=decide-]")
    decision.get_by_label("Approve: the evidence shows their authority").check()
    decision.get_by_label("Reason for the decision on Byron Lovelace").fill("LPA checked")
    decision.get_by_role("button", name="Record the decision").click()
    page.locator("#notice").wait_for()
    axe(page)

    sign_out(page)
    sign_in(page, personas.agent)
    open_tab(page, ada)
    check = page.locator("form[id^=verify-]")
    check.get_by_label("Their date of birth").fill("02/07/1961")
    check.get_by_label("Their postcode").fill("yo31 7qz")
    check.get_by_role("button", name="Verify this representative").click()
    page.get_by_role("heading", name="Tell the caller: Ada Lovelace").wait_for()
    axe(page)
    tell = page.locator("form#form")
    tell.get_by_label("Email address", exact=True).check()
    tell.get_by_label("Told to").fill("her son, Byron")
    tell.get_by_role("button", name="Tell the caller").click()
    page.get_by_role("heading", name="Details told to the caller").wait_for()
    axe(page)
    assert "ada@example.com" in page.content()
    with container.uow().reading() as uow:
        [told] = uow.disclosures.for_customer(ada)
    assert told.fields == ("email",)
