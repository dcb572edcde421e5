"""Telling a verified caller in a real browser: once the agent has verified the caller, "Tell
the caller" offers the fields the purpose shows; telling two shows their values on the page
after (read again from the record), a reload records no second disclosure, and the
Disclosures list names the recipient and the fields, never the values."""

from __future__ import annotations

import pytest

from tests.e2e.web.test_browser_customer_records import axe
from tests.e2e.web.test_verifying_a_caller_in_a_browser import ada, answer, open_check, sign_in

pytestmark = pytest.mark.browser
__all__ = ["ada"]  # the fixture, used by name below


def disclosed(container, customer_id) -> list:
    with container.uow().reading() as uow:
        return uow.disclosures.for_customer(customer_id)


def test_the_caller_is_told_two_details_once_and_the_log_lists_them(
    page, personas, ada, container
) -> None:
    sign_in(page, personas.agent)
    open_check(page, ada)
    # Nothing can be told before the caller is verified.
    assert page.get_by_role("link", name="Tell the caller").count() == 0
    answer(page, **{"Date of birth": "14 March 1979", "Postcode": "sw1a1aa"})
    page.get_by_role("link", name="Tell the caller").click()
    page.get_by_role("heading", name="Tell the caller: Ada Lovelace").wait_for()
    axe(page)

    tell = page.locator("form#form")
    tell.get_by_label("Email address", exact=True).check()
    tell.get_by_label("Phone number", exact=True).check()
    tell.get_by_label("How").select_option("phone")
    tell.get_by_label("Told to").fill("the caller, Ada herself")
    tell.get_by_role("button", name="Tell the caller").click()
    page.get_by_role("heading", name="Details told to the caller").wait_for()
    axe(page)
    shown = page.locator("#disclosed-values").inner_text()
    assert "ada@example.com" in shown and "020 7946 0018" in shown
    assert "/disclosures/dis_" in page.url
    [made] = disclosed(container, ada)
    assert made.fields == ("email", "phone") and made.recipient == "the caller, Ada herself"

    page.reload()
    page.get_by_role("heading", name="Details told to the caller").wait_for()
    axe(page)
    assert len(disclosed(container, ada)) == 1

    page.get_by_role("link", name="Back to Verify the caller").click()
    page.get_by_role("heading", name="Verify the caller: Ada Lovelace").wait_for()
    axe(page)
    log = page.locator("#disclosures").inner_text()
    assert "the caller, Ada herself" in log and "email, phone" in log
    assert "ada@example.com" not in log
