"""The edit form in a real browser: before the caller is verified, "Who asked for this
change?" offers only an internal correction and a link to verify them; once verified, the
caller, with when the check was made and until when it holds. Both ways save, each page is
axe-clean, and an unanswered choice is an error the summary leads to."""

from __future__ import annotations

import re

import pytest

from tests.e2e.web.test_browser_customer_records import axe
from tests.e2e.web.test_verifying_a_caller_in_a_browser import ada, answer, open_check, sign_in
from tests.integration.record_kinds._storage import audit_events

pytestmark = pytest.mark.browser
__all__ = ["ada"]  # the fixture, used by name below


def open_edit(page, customer_id) -> None:
    page.goto(f"/customers/{customer_id}/edit?purpose=service")
    page.get_by_role("group", name="Who asked for this change?").wait_for()
    axe(page)


def updates(container, customer_id) -> list:
    return [e.entry for e in audit_events(container, "customer.updated", customer_id)]


def test_unverified_the_form_offers_an_internal_correction_and_a_way_to_verify(
    page, personas, ada, container
) -> None:
    sign_in(page, personas.agent)
    open_edit(page, ada)
    choice = page.get_by_role("group", name="Who asked for this change?")
    assert choice.get_by_role("radio").count() == 1
    assert choice.get_by_role("link", name="verify the caller").count() == 1

    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Reason for the change").fill("letter came back")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("alert").wait_for()
    axe(page)
    assert "Say who asked for this change" in page.get_by_role("alert").inner_text()
    page.get_by_role("alert").get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "asked_by_internal"
    assert page.get_by_label("Town or city").input_value() == "Leeds"  # kept through the error

    page.get_by_label("An internal correction").check()
    page.get_by_label("Where the correction came from").select_option("returned_post")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("status").filter(has_text="Done: updated.").wait_for()
    axe(page)
    [event] = [e for e in updates(container, ada) if e.outcome == "success"]
    assert event.detail["source"] == "returned_post"


def test_verified_the_caller_is_offered_with_the_checks_times_and_their_change_saved(
    page, personas, ada, container
) -> None:
    sign_in(page, personas.agent)
    open_check(page, ada)
    answer(page, **{"Date of birth": "14 March 1979", "Postcode": "sw1a1aa"})
    open_edit(page, ada)
    caller = page.get_by_label(re.compile(r"^The caller, whom I verified at \d\d:\d\d UTC"))
    assert re.search(
        r"\(valid until \d\d:\d\d UTC\)$", caller.evaluate("e => e.labels[0].innerText")
    )
    caller.check()
    page.get_by_label("How the caller reached you").select_option("in_person")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Reason for the change").fill("moved north")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("status").filter(has_text="Done: updated.").wait_for()
    axe(page)
    [event] = updates(container, ada)
    assert event.outcome == "success" and event.detail["source"] == "in_person"
    with container.uow().reading() as uow:
        [proof] = [v for v in uow.verifications.for_customer(ada) if v.passed]
    assert event.detail["verification_id"] == proof.id
