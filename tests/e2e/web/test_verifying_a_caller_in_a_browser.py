"""Verifying a caller in a real browser: the agent types what the caller states, sees only
verified or not (with the attempts left), never a held detail; a reload after a check runs no
second check; three failures lock the checks for the customer."""

from __future__ import annotations

import re

import pytest

from clientkeep.customers import services as customers
from tests.e2e.web.conftest import sign_in_browser as sign_in
from tests.e2e.web.test_browser_customer_records import axe

pytestmark = pytest.mark.browser

HELD = ("1979-03-14", "14/03/1979", "SW1A 1AA", "0018")


@pytest.fixture
def ada(container, personas) -> str:
    return customers.register(
        customers.RegisterCustomer(
            purpose="service",
            fields={
                "given_name": "Ada",
                "family_name": "Lovelace",
                "email": "ada@example.com",
                "phone": "020 7946 0018",
                "postcode": "SW1A 1AA",
                "date_of_birth": "1979-03-14",
                "address_line1": "12 Example Street",
                "town": "London",
            },
            source="phone",
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id


def open_check(page, customer_id) -> None:
    page.goto(f"/customers/{customer_id}?purpose=service")
    page.get_by_role("heading", name="Ada Lovelace").wait_for()
    axe(page)
    page.get_by_role("navigation", name="Customer record").get_by_role(
        "link", name="Verify the caller"
    ).click()
    page.get_by_role("heading", name="Verify the caller: Ada Lovelace").wait_for()
    axe(page)


def answer(page, **answers) -> None:
    for label, value in answers.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_role("button", name="Check", exact=True).click()
    page.locator("#verification-result, .error-summary").first.wait_for()
    page.wait_for_load_state("load")
    axe(page)


def checks_recorded(container, customer_id) -> int:
    with container.uow().reading() as uow:
        return len(uow.verifications.for_customer(customer_id))


def test_the_caller_is_verified_and_a_reload_checks_nothing_again(
    page, personas, ada, container
) -> None:
    sign_in(page, personas.agent)
    open_check(page, ada)
    answer(page, **{"Date of birth": "14 March 1979", "Postcode": "sw1a1aa"})
    result = page.locator("#verification-result").inner_text()
    assert result.startswith("Verified.") and "until" in result
    assert "result=verified" in page.url
    assert page.get_by_label("Postcode").input_value() == ""
    page.reload()
    page.locator("#verification-result").wait_for()
    axe(page)
    assert checks_recorded(container, ada) == 1
    row = page.get_by_role("row").nth(1).inner_text()
    assert "verified" in row and "date of birth, postcode" in row
    for held in HELD:
        assert held not in page.content()


def test_a_failure_says_neither_which_detail_nor_what_is_held_and_three_lock(
    page, personas, ada
) -> None:
    sign_in(page, personas.agent)
    open_check(page, ada)
    answer(page, **{"Date of birth": "14/03/1979", "Postcode": "M1 1AE"})
    text = page.locator("#verification-result").inner_text()
    assert text.startswith("Not verified.") and "2 attempts left" in text
    for held in HELD:
        assert held not in page.content()
    answer(page, **{"Date of birth": "1980-01-01", "Postcode": "M1 1AE"})
    answer(page, **{"Date of birth": "1980-01-01", "Postcode": "M1 1AE"})
    answer(page, **{"Date of birth": "14/03/1979", "Postcode": "SW1A 1AA"})
    locked = page.locator("#verification-result").inner_text()
    assert locked.startswith("Checks are locked") and re.search(r"after \d\d:\d\d UTC", locked)


def test_an_unreadable_answer_is_named_in_the_error_summary(page, personas, ada) -> None:
    sign_in(page, personas.agent)
    open_check(page, ada)
    answer(page, **{"Date of birth": "31/02/1979", "Postcode": "SW1A 1AA"})
    summary = page.get_by_role("alert").inner_text()
    assert "Date of birth" in summary
    assert page.get_by_label("Date of birth").get_attribute("aria-invalid") == "true"
