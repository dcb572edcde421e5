"""A complaint in a real browser, every page checked with axe-core: an agent opens one from
the customer's Complaints tab (an empty summary first shows the problem), acknowledges it,
resolves it with the checklist, reads the final response letter, and finds it on the
Complaints board with each deadline's status in words."""

from __future__ import annotations

import pytest

from tests.e2e.web.test_browser_customer_records import axe
from tests.e2e.web.test_verifying_a_caller_in_a_browser import ada, sign_in

pytestmark = pytest.mark.browser
__all__ = ["ada"]  # the fixture, used by name below


def test_a_complaint_from_the_customer_page_to_its_final_response(
    page, personas, ada, container
) -> None:
    sign_in(page, personas.agent)
    page.goto(f"/customers/{ada}/complaints?purpose=complaints")
    page.get_by_role("heading", name="Complaints", exact=True).wait_for()
    axe(page)
    page.get_by_role("button", name="Open the complaint").click()
    page.locator(".error-summary").wait_for()
    axe(page)
    page.get_by_label("General complaint").check()
    page.get_by_label("What the customer complains of").fill("Charged twice for November")
    page.get_by_label("What they want done").fill("A refund of the second charge")
    page.get_by_label("How it came").select_option("phone")
    page.get_by_role("button", name="Open the complaint").click()
    page.get_by_role("heading", name="Complaint: General complaint").wait_for()
    axe(page)
    assert "opened" in page.locator("#notice").inner_text()
    assert "Nearly due" in page.locator("#acknowledge-due").inner_text()

    page.get_by_label("Step").select_option("acknowledge")
    page.get_by_role("button", name="Record the step").click()
    page.locator("#notice").wait_for()
    axe(page)
    assert page.locator("#complaint-state").inner_text().startswith("acknowledged")
    assert "Met" in page.locator("#acknowledge-due").inner_text()

    page.get_by_label("Resolution").fill("Refunded the second charge.")
    page.get_by_label("Listened to the customer").check()
    page.get_by_label("Apologised").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Resolve the complaint").click()
    page.locator("#checklist").wait_for()
    axe(page)
    assert "Apologised: yes" in page.locator("#checklist").inner_text()

    page.get_by_role("link", name="The final response letter").click()
    page.get_by_role("heading", name="Final response letter").wait_for()
    axe(page)
    letter = page.locator("#letter-body").inner_text()
    assert "Ada Lovelace" in letter and "Financial Ombudsman Service" in letter

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Complaints").click()
    page.get_by_role("heading", name="Complaints", exact=True).wait_for()
    axe(page)
    row = page.locator("#complaints tbody tr").first
    assert "Ada Lovelace" in row.inner_text() and "Met" in row.inner_text()
    page.get_by_label("Deadline").select_option("overdue")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(lambda url: "due=overdue" in url)
    axe(page)
    assert "No complaints." in page.locator("#complaints").inner_text()
