"""The web UI driven in Debian's Chromium through Playwright: what a member of staff does."""

from __future__ import annotations

import pytest

from tests.e2e.web.conftest import sign_in_browser as sign_in

pytestmark = pytest.mark.browser


def test_staff_sign_in_see_the_layout_and_sign_out(page, axe, personas, tmp_path) -> None:
    page.goto("/")
    assert page.url.endswith("/sign-in")
    axe()
    sign_in(page, personas.dpo)
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome, dpo.one"
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Audit trail").is_visible()
    assert nav.get_by_role("link", name="Staff").count() == 0
    assert page.get_by_test_id("signed-in-as").inner_text().startswith("dpo.one")
    page.screenshot(path=str(tmp_path / "home.png"), full_page=True)
    nav.get_by_role("link", name="Audit trail").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Audit trail"
    axe()
    page.get_by_role("button", name="Verify the chain now").click()
    assert page.get_by_test_id("verify-result").inner_text().startswith("Intact")
    axe()
    page.get_by_role("button", name="Sign out").click()
    assert page.url.endswith("/sign-in?signed_out=1")
    assert page.get_by_role("status").inner_text() == "You have signed out."
    axe()
    page.goto("/audit")
    assert page.url.endswith("/sign-in")
    axe()


def test_a_wrong_password_is_reported_on_the_form(page, axe, personas) -> None:
    page.goto("/sign-in")
    axe()
    page.get_by_label("Username").fill(personas.agent.username)
    page.get_by_label("Password").fill("this is not it")
    page.get_by_role("button", name="Sign in").click()
    assert "not right" in page.get_by_role("alert").inner_text()
    axe()


def test_a_form_without_its_csrf_token_is_refused(page, axe, personas, container) -> None:
    sign_in(page, personas.admin)
    page.goto("/staff")
    axe()
    page.locator("form[action='/staff'] input[name=csrf_token]").evaluate("e => e.remove()")
    page.get_by_label("Username").fill("sneaky.one")
    page.get_by_label("Initial password").fill("a perfectly long password")
    page.get_by_role("button", name="Add staff member").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Forbidden"
    assert "security token" in page.get_by_role("alert").inner_text()
    axe()
    with container.uow() as uow:
        assert uow.staff.by_username("sneaky.one") is None


def test_the_admin_adds_a_colleague_with_the_keyboard(page, axe, personas, container) -> None:
    sign_in(page, personas.admin)
    page.goto("/staff")
    axe()
    page.get_by_label("Username").fill("kim.new")
    page.keyboard.press("Tab")
    page.keyboard.type("Kim New")
    page.get_by_label("Role").select_option("supervisor")
    page.get_by_label("Initial password").fill("another long password")
    page.get_by_label("Initial password").press("Enter")
    assert "Done: added kim.new" in page.get_by_role("status").inner_text()
    axe()
    with container.uow() as uow:
        assert uow.staff.by_username("kim.new").display_name == "Kim New"


def test_the_accessibility_check_finds_what_axe_core_finds(page, axe) -> None:
    # The check every browser test relies on: an image without a text alternative fails it.
    page.goto("/sign-in")
    axe()
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")
    with pytest.raises(AssertionError, match="image-alt"):
        axe()
