"""Feedback in a real browser, every page checked with axe-core: an agent records a CSAT
answer on the customer's Feedback tab (a slip first: the summary names the score) and asks
for feedback by email; a supervisor opens the Satisfaction dashboard from the navigation,
reads the charts' figures in the tables beside them, and narrows the months."""

from __future__ import annotations

import pytest

from tests.e2e.web.test_browser_customer_records import axe
from tests.e2e.web.test_verifying_a_caller_in_a_browser import ada, sign_in

pytestmark = pytest.mark.browser
__all__ = ["ada"]  # the fixture, used by name below


def test_an_answer_is_recorded_and_the_dashboard_shows_it(page, personas, ada) -> None:
    sign_in(page, personas.agent)
    page.goto(f"/customers/{ada}?purpose=service")
    page.get_by_role("heading", name="Ada Lovelace").wait_for()
    axe(page)
    assert page.get_by_role("link", name="Satisfaction").count() == 0
    page.get_by_role("navigation", name="Customer record").get_by_role(
        "link", name="Feedback"
    ).click()
    page.get_by_role("heading", name="Feedback", exact=True).wait_for()
    axe(page)
    page.get_by_label("Score").fill("9")
    page.get_by_role("button", name="Record the answer").click()
    page.locator(".error-summary").wait_for()
    axe(page)
    page.get_by_label("Score").fill("4")
    page.get_by_label("What they said (optional)").fill("Quick and friendly")
    page.get_by_label("How the contact came (without a contact id)").select_option("phone")
    page.get_by_role("button", name="Record the answer").click()
    page.locator("#notice").wait_for()
    axe(page)
    assert "Quick and friendly" in page.get_by_role("table").inner_text()
    page.get_by_role("button", name="Ask for feedback by email").click()
    page.locator("#notice").wait_for()
    axe(page)
    assert "survey email is queued" in page.locator("#notice").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/sign-in" in url)
    axe(page)

    sign_in(page, personas.supervisor)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Satisfaction").click()
    page.get_by_role("heading", name="Satisfaction", exact=True).wait_for()
    axe(page)
    assert page.get_by_role("img", name="CSAT by month").count() == 1
    row = page.locator("#csat-chart-table tbody tr").last.inner_text()
    assert row.split("\t")[:3] == ["2026-11", "100.0", "1"]
    assert "phone" in page.locator("#by-channel-table").inner_text()
    page.get_by_label("From").fill("2026-10")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(lambda url: "from=2026-10" in url)
    axe(page)
    assert page.locator("#csat-chart-table tbody tr").count() == 2
