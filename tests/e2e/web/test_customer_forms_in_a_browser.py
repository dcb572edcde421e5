"""The customer forms in a real browser keep what staff typed: an unlisted 07700 900xxx number
kept after a read-back, a change of purpose, an error summary that names its fields, a reload
after saving that registers nobody twice, and a history that names who by name."""

from __future__ import annotations

import pytest

from tests.e2e.web._reveal import reveal_in_browser
from tests.e2e.web.conftest import sign_in_browser as sign_in
from tests.e2e.web.test_browser_customer_records import ADA, axe

pytestmark = pytest.mark.browser


def open_new_form(page) -> None:
    page.goto("/customers/new")
    page.get_by_role("heading", name="New customer").wait_for()
    axe(page)


def fill(page, fields: dict[str, str]) -> None:
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)


def save(page) -> None:
    page.get_by_role("button", name="Save customer").click()
    page.get_by_role("heading", level=1).wait_for()
    page.wait_for_load_state("load")
    axe(page)


def test_an_unlisted_drama_number_is_kept_after_the_read_back(page, personas) -> None:
    sign_in(page, personas.agent)
    open_new_form(page)
    fill(page, {**ADA, "Phone number": "07700 900123", "Postcode": "SW1A 1AA"})
    save(page)
    alert = page.get_by_role("alert").inner_text()
    assert "Phone number: this number is not in a range we know is in use" in alert
    assert page.get_by_label("Phone number", exact=True).input_value() == "07700 900123"
    assert page.get_by_label("Family name").input_value() == "Lovelace"
    page.get_by_label("I read this number back to the customer: keep it").check()
    save(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Ada Lovelace"
    assert page.get_by_role("status").inner_text() == "Done: saved."
    reveal_in_browser(page)
    cell = page.get_by_role("cell", name="07700 900123")
    assert "unlisted number: kept after read-back" in cell.inner_text()


def test_changing_the_purpose_keeps_what_was_typed(page, personas) -> None:
    sign_in(page, personas.agent)
    open_new_form(page)
    fill(page, {"Given name": "Ada", "Family name": "Lovelace", "Phone number": "020 7946 0018"})
    page.get_by_label("Purpose").select_option("billing")
    page.get_by_role("button", name="Change purpose").click()
    page.locator("#purpose-changed").wait_for()
    axe(page)
    assert page.get_by_label("Given name").input_value() == "Ada"
    assert page.get_by_label("Family name").input_value() == "Lovelace"
    assert page.get_by_label("Phone number", exact=True).count() == 0
    notice = page.get_by_role("status").inner_text()
    assert "does not collect Phone number" in notice and "7946" not in notice


def test_the_error_summary_names_each_field_and_leads_to_it(page, personas) -> None:
    sign_in(page, personas.agent)
    open_new_form(page)
    save(page)
    summary = page.get_by_role("alert")
    assert "Given name: the service purpose requires this." in summary.inner_text()
    assert "Family name: the service purpose requires this." in summary.inner_text()
    summary.get_by_role("link", name="Family name: the service purpose requires this.").click()
    assert page.evaluate("document.activeElement.id") == "field_family_name"
    assert page.get_by_label("Family name").get_attribute("aria-invalid") == "true"


def test_a_reload_after_saving_registers_nobody_twice(page, personas, container) -> None:
    sign_in(page, personas.agent)
    open_new_form(page)
    fill(page, {**ADA, "Postcode": "SW1A 1AA"})
    save(page)
    assert "done=saved" in page.url and "/customers/new" not in page.url
    page.reload()
    page.get_by_role("heading", name="Ada Lovelace").wait_for()
    axe(page)
    with container.uow() as uow:
        assert len(uow.customers.live_ids(after=None, limit=10)) == 1


def test_the_history_names_who_by_name_and_role(page, personas, container) -> None:
    sign_in(page, personas.agent)
    open_new_form(page)
    fill(page, {**ADA, "Postcode": "SW1A 1AA"})
    save(page)
    # The phone is hidden until the caller is verified, in the history too.
    reveal_in_browser(page)
    page.get_by_role("navigation", name="Customer record").get_by_role(
        "link", name="History"
    ).click()
    page.get_by_role("heading", name="History").wait_for()
    axe(page)
    with container.uow() as uow:
        member = uow.staff.get(personas.agent.actor.id)
    row = page.get_by_role("row").filter(has_text="020 7946 0018")
    assert f"{member.display_name or member.username} (agent)" in row.inner_text()
    assert personas.agent.actor.id not in page.content()


def test_enter_in_a_field_saves_the_customer_rather_than_changing_the_purpose(
    page, personas, container
) -> None:
    sign_in(page, personas.agent)
    open_new_form(page)
    fill(page, {**ADA, "Postcode": "SW1A 1AA"})
    page.get_by_label("Postcode").press("Enter")
    page.get_by_role("heading", name="Ada Lovelace").wait_for()
    page.wait_for_load_state("load")
    axe(page)
    assert page.get_by_role("status").inner_text() == "Done: saved."
    with container.uow() as uow:
        assert len(uow.customers.live_ids(after=None, limit=10)) == 1


def test_enter_on_an_empty_form_shows_what_is_missing(page, personas) -> None:
    sign_in(page, personas.agent)
    open_new_form(page)
    page.get_by_label("Given name").press("Enter")
    page.get_by_role("alert").wait_for()
    axe(page)
    assert "Family name: the service purpose requires this." in (
        page.get_by_role("alert").inner_text()
    )
    assert page.locator("#purpose-changed").count() == 0
