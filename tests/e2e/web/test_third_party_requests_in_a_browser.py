"""Third parties' requests in a real browser, every page checked with axe-core: an agent
records one from the customer page; a supervisor finds it in the queue, approves fewer fields
than were asked, with a reason; "Disclose the approved fields" records the disclosure and
shows the values once; the request can then not be used again."""

from __future__ import annotations

import pytest

from tests.e2e.web.test_browser_customer_records import axe
from tests.e2e.web.test_verifying_a_caller_in_a_browser import ada, sign_in

pytestmark = pytest.mark.browser
__all__ = ["ada"]  # the fixture, used by name below


def requests_of(container, customer_id) -> list:
    with container.uow().reading() as uow:
        return uow.third_party_requests.for_customer(customer_id)


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/sign-in" in url)
    axe(page)


def test_a_request_is_recorded_approved_in_part_and_answered_once(
    page, personas, ada, container
) -> None:
    sign_in(page, personas.agent)
    page.goto(f"/customers/{ada}?purpose=service")
    page.get_by_role("heading", name="Ada Lovelace").wait_for()
    axe(page)
    # Agents have no queue of their own to decide.
    assert page.get_by_role("link", name="Third-party requests").count() == 0
    page.get_by_role("link", name="New third-party request").click()
    page.get_by_role("heading", name="New third-party request: Ada Lovelace").wait_for()
    axe(page)

    # Nothing chosen: the summary names each problem, and the page is still accessible.
    page.get_by_role("button", name="Record the request").click()
    page.locator(".error-summary").wait_for()
    axe(page)
    page.get_by_label("Who is asking").fill("DC Sam Example")
    page.get_by_label("Organisation").fill("Example Constabulary")
    page.get_by_label("Their reference (optional)").fill("CR/2026/0042")
    page.get_by_label("How their identity and authority were checked").fill(
        "called back on the force's switchboard"
    )
    page.get_by_label("What they say it is for").fill("an inquiry into a fraud")
    page.get_by_label("Prevention or detection of crime, or tax collection").check()
    page.get_by_label("Email address", exact=True).check()
    page.get_by_label("Phone number", exact=True).check()
    page.get_by_role("button", name="Record the request").click()
    page.get_by_role("heading", name="Third-party request").wait_for()
    axe(page)
    assert page.locator("#request-status").inner_text() == "pending"
    # The member who recorded it is told that someone else decides; no decision form.
    assert "another supervisor" in page.locator("#four-eyes").inner_text()
    assert page.get_by_role("button", name="Record the decision").count() == 0
    [made] = requests_of(container, ada)
    assert made.fields == ("email", "phone")
    sign_out(page)

    sign_in(page, personas.supervisor)
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Third-party requests"
    ).click()
    page.get_by_role("heading", name="Third-party requests").wait_for()
    axe(page)
    queue = page.locator("#requests").inner_text()
    assert "Ada Lovelace" in queue and "DC Sam" not in queue
    page.get_by_role("link", name=made.id).click()
    page.get_by_role("heading", name="Third-party request").wait_for()
    axe(page)
    assert "DC Sam Example, Example Constabulary" in page.locator("#request-facts").inner_text()
    # No disclosure is offered before a decision.
    assert page.get_by_role("button", name="Disclose the approved fields").count() == 0

    page.get_by_label("Approve the details ticked below").check()
    page.get_by_label("Phone number", exact=True).uncheck()
    page.get_by_label("Reason").fill("crime number checked with the force")
    page.get_by_role("button", name="Record the decision").click()
    page.locator(".notice").wait_for()
    axe(page)
    assert page.locator("#request-status").inner_text() == "approved"
    assert page.locator("#approved-fields").inner_text() == "Email address"

    page.get_by_label("How").select_option("email")
    page.get_by_role("button", name="Disclose the approved fields").click()
    page.get_by_role("heading", name=f"Details disclosed for request {made.id}").wait_for()
    axe(page)
    shown = page.locator("#disclosed-values").inner_text()
    assert "ada@example.com" in shown and "7946" not in shown
    [answered] = requests_of(container, ada)
    assert answered.status == "disclosed" and answered.disclosure_id

    page.get_by_role("link", name="Back to the request").click()
    page.get_by_role("heading", name="Third-party request").wait_for()
    axe(page)
    assert page.locator("#request-status").inner_text() == "disclosed"
    assert page.get_by_role("button", name="Disclose the approved fields").count() == 0
    assert "ada@example.com" not in page.content()
