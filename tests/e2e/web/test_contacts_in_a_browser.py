"""Contacts in a real browser, every page checked with axe-core: an agent opens the customer's
Timeline tab, logs a call that needs a follow-up and sees it on the timeline; logs a note
holding a card number, is warned, sees the redacted version and saves it; then opens
Follow-ups from the navigation, follows the row to the customer and logs the contact that
closes it."""

from __future__ import annotations

import pytest

from tests.e2e.web.test_browser_customer_records import axe
from tests.e2e.web.test_verifying_a_caller_in_a_browser import ada, sign_in

pytestmark = pytest.mark.browser
__all__ = ["ada"]  # the fixture, used by name below

CARD = "4111 1111 1111 1111"


def test_log_a_contact_redact_a_card_and_close_a_follow_up(page, personas, ada) -> None:
    sign_in(page, personas.agent)
    page.goto(f"/customers/{ada}?purpose=service")
    page.get_by_role("heading", name="Ada Lovelace").wait_for()
    axe(page)
    tabs = page.get_by_role("navigation", name="Customer record")
    tabs.get_by_role("link", name="Timeline").click()
    page.get_by_role("heading", name="Timeline", exact=True).wait_for()
    axe(page)

    # A call needing a follow-up: logged, and the agent stays on the tab.
    page.get_by_label("What it was about").select_option("request")
    page.get_by_label("Nature of the contact").fill("Asked for a copy of the contract")
    page.get_by_label("Actions taken").fill("Promised to post it")
    page.get_by_label("Outcome").select_option("follow_up")
    page.get_by_label("Follow-up due").fill("2026-11-25")
    page.get_by_role("button", name="Log the contact").click()
    page.locator("#notice").wait_for()
    axe(page)
    assert "/timeline" in page.url
    timeline = page.get_by_test_id("timeline")
    assert "Phone call: request" in timeline.inner_text()
    assert "Asked for a copy of the contract" in timeline.inner_text()

    # A card number: warned, shown the redacted version, saved redacted.
    page.get_by_label("Nature of the contact").fill(f"Paid by card {CARD}")
    page.get_by_label("Actions taken").fill("Took the payment")
    page.get_by_role("button", name="Log the contact").click()
    page.locator("#note-check").wait_for()
    axe(page)
    assert "payment card number" in page.locator("#note-warnings").inner_text()
    assert "[card number removed]" in page.locator("#redacted-version").inner_text()
    assert page.get_by_role("button", name="Keep as written").count() == 0
    page.get_by_role("button", name="Save the redacted version").click()
    page.locator("#notice").wait_for()
    axe(page)
    text = page.get_by_test_id("timeline").inner_text()
    assert "Paid by card [card number removed]" in text and CARD not in page.content()

    # The follow-up, from the navigation: the row leads to the customer, and logging closes it.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Follow-ups").click()
    page.get_by_role("heading", name="Follow-ups", exact=True).wait_for()
    axe(page)
    table = page.get_by_test_id("follow-ups")
    assert "Ada Lovelace" in table.inner_text() and "2026-11-25" in table.inner_text()
    table.get_by_role("link", name="Log the follow-up").click()
    page.locator("#follows_up").wait_for()
    axe(page)
    page.get_by_label("How the contact came").select_option("letter")
    page.get_by_label("Nature of the contact").fill("Posted the contract")
    page.get_by_label("Actions taken").fill("Sent by first-class post")
    page.get_by_role("button", name="Log the contact").click()
    page.locator("#notice").wait_for()
    axe(page)
    assert "follow-up it answers is closed" in page.locator("#notice").inner_text()
    assert "Letter: enquiry" in page.get_by_test_id("timeline").inner_text()
    page.locator("#notice").get_by_role("link", name="Back to your follow-ups").click()
    page.get_by_role("heading", name="Follow-ups", exact=True).wait_for()
    axe(page)
    assert "No open follow-ups" in page.get_by_test_id("follow-ups").inner_text()
