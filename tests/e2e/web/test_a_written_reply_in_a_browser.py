"""A written reply in a real browser: after telling a verified caller their postcode by email,
the page offers the letter (exactly the detail told, printable on its own) and the email to
the address on record, which is queued once, through the outbox; every page passes axe."""

from __future__ import annotations

import pytest

from tests.e2e.web.test_browser_customer_records import axe
from tests.e2e.web.test_verifying_a_caller_in_a_browser import ada, answer, open_check, sign_in

pytestmark = pytest.mark.browser
__all__ = ["ada"]  # the fixture, used by name below


def test_the_letter_and_the_email_hold_exactly_the_detail_told(
    page, personas, ada, container
) -> None:
    sign_in(page, personas.agent)
    open_check(page, ada)
    answer(page, **{"Date of birth": "14 March 1979", "Postcode": "sw1a1aa"})
    page.get_by_role("link", name="Tell the caller").click()
    page.get_by_role("heading", name="Tell the caller: Ada Lovelace").wait_for()
    axe(page)
    tell = page.locator("form#form")
    tell.get_by_label("Postcode", exact=True).check()
    tell.get_by_label("How").select_option("email")
    tell.get_by_role("button", name="Tell the caller").click()
    page.get_by_role("heading", name="Details told to the caller").wait_for()
    axe(page)

    page.get_by_role("link", name="Print a letter of these details").click()
    page.get_by_role("heading", name="Letter to print").wait_for()
    axe(page)
    letter = page.locator("#letter-body").inner_text()
    assert "Postcode: SW1A 1AA" in letter
    assert "ada@example.com" not in letter and "020 7946 0018" not in letter
    page.get_by_role("link", name="Back to the details told").click()
    page.get_by_role("heading", name="Details told to the caller").wait_for()
    axe(page)

    page.get_by_role("button", name="Email these details to the address on the record").click()
    page.locator("#reply-emailed").wait_for()
    axe(page)
    with container.uow().reading() as uow:
        [message] = [m for m in uow.outbox.for_customer(ada) if m.kind == "disclosure_reply"]
    assert message.quotes == frozenset({"postcode"})
