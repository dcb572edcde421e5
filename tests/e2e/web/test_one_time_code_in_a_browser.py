"""Verifying a caller by a one-time code in a real browser: the agent sends a code to the
email on record (the page says it was sent, never the code or the address), types the code
the caller reads out (here read from the outbox, as the customer's inbox would show it), and
is told verified; a reload repeats neither the send nor the check."""

from __future__ import annotations

import re

import pytest

from tests.e2e.web.conftest import sign_in_browser as sign_in
from tests.e2e.web.test_browser_customer_records import axe
from tests.e2e.web.test_verifying_a_caller_in_a_browser import ada, checks_recorded, open_check

pytestmark = pytest.mark.browser
__all__ = ["ada"]  # the fixture, shared with the knowledge check's browser test

CODE = re.compile(r"\b(\d{6})\b")


def messages_to(container, customer_id) -> list[str]:
    with container.uow().reading() as uow:
        return [content.body for _, content in uow.outbox.opened_for_customer(customer_id)]


def submitted(page) -> None:
    page.locator("#verification-result, .error-summary").first.wait_for()
    page.wait_for_load_state("load")
    axe(page)


def test_a_code_sent_by_email_verifies_the_caller_and_a_reload_repeats_nothing(
    page, personas, ada, container
) -> None:
    sign_in(page, personas.agent)
    open_check(page, ada)
    page.get_by_role("group", name="Send the code by").get_by_label(
        "Email, to the address on record"
    ).check()
    page.get_by_role("button", name="Send a code").click()
    submitted(page)
    assert "result=code_sent" in page.url
    assert page.locator("#verification-result").inner_text().startswith("Code sent")
    [body] = messages_to(container, ada)
    code = CODE.search(body).group(1)
    assert code not in page.content() and "ada@example.com" not in page.content()
    page.reload()
    page.locator("#verification-result").wait_for()
    axe(page)
    assert len(messages_to(container, ada)) == 1

    page.get_by_label("Code the caller reads out").fill(code)
    page.get_by_role("button", name="Check the code").click()
    submitted(page)
    assert page.locator("#verification-result").inner_text().startswith("Verified.")
    assert "result=verified" in page.url and code not in page.url
    assert page.get_by_label("Code the caller reads out").input_value() == ""
    page.reload()
    page.locator("#verification-result").wait_for()
    axe(page)
    assert checks_recorded(container, ada) == 1
    assert "a one-time code" in page.get_by_role("row").nth(1).inner_text()


def test_an_unreadable_code_is_named_in_the_error_summary(page, personas, ada) -> None:
    sign_in(page, personas.agent)
    open_check(page, ada)
    page.get_by_label("Code the caller reads out").fill("12ab")
    page.get_by_role("button", name="Check the code").click()
    submitted(page)
    assert "Code the caller reads out" in page.get_by_role("alert").inner_text()
    field = page.get_by_label("Code the caller reads out")
    assert field.get_attribute("aria-invalid") == "true"
