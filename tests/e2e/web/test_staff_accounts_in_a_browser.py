"""Looking after staff accounts in Chromium: reset then a forced change at sign-in, a role
change, disable and enable, each confirmed first; a token made, the page reloaded (no second
token), then revoked after a confirmation. axe-core checks every page on the way."""

from __future__ import annotations

import re

import pytest

from tests.e2e.web.conftest import sign_in_browser as sign_in

pytestmark = pytest.mark.browser

TEMPORARY = "a temporary passphrase"
NEW = "my very own new passphrase"


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def sign_out(page, axe) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in\?signed_out=1$"))
    axe()


def test_a_reset_password_is_changed_at_the_next_sign_in(page, axe, personas, container):
    sign_in(page, personas.admin)
    page.goto("/staff")
    axe()
    page.get_by_role("link", name="Reset password of agent.one").click()
    assert heading(page) == "Reset the password of agent.one (agent)?"
    axe()
    page.get_by_label("Temporary password").fill("short")
    page.get_by_role("button", name="Reset the password").click()
    assert "Use at least" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Temporary password").get_attribute("aria-invalid") == "true"
    axe()
    page.get_by_label("Temporary password").fill(TEMPORARY)
    page.get_by_role("button", name="Reset the password").click()
    page.wait_for_url(re.compile(r"/staff\?done=password_reset"))
    assert "reset the password of agent.one" in page.get_by_role("status").inner_text()
    axe()
    sign_out(page, axe)

    page.get_by_label("Username").fill(personas.agent.username)
    page.get_by_label("Password").fill(TEMPORARY)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account/password$"))
    assert heading(page) == "Change your password"
    axe()
    page.goto("/customers")
    page.wait_for_url(re.compile(r"/account/password$"))
    axe()
    page.get_by_label("Temporary password").fill(TEMPORARY)
    page.get_by_label("New password", exact=True).fill(NEW)
    page.get_by_label("New password again").fill(NEW)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(re.compile(r"done=changed$"))
    assert page.get_by_role("status").first.inner_text() == "Done: your password is changed."
    axe()
    page.goto("/")
    assert heading(page).startswith("Welcome")
    axe()


def test_role_change_and_disable_enable_are_confirmed(page, axe, personas, container):
    sign_in(page, personas.admin)
    page.goto("/staff")
    axe()
    page.get_by_role("link", name="Change role of agent.one").click()
    assert heading(page) == "Change the role of agent.one (agent)"
    axe()
    page.get_by_label("New role").select_option("supervisor")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(re.compile(r"role=supervisor"))
    assert "changes from agent to supervisor" in page.get_by_test_id("role-change").inner_text()
    axe()
    with container.uow() as uow:
        assert uow.staff.by_username("agent.one").role == "agent"
    page.get_by_role("button", name="Change the role to supervisor").click()
    page.wait_for_url(re.compile(r"done=role_changed"))
    assert "changed the role of agent.one" in page.get_by_role("status").inner_text()
    axe()

    page.get_by_role("link", name="Disable agent.one").click()
    assert heading(page) == "Disable agent.one (supervisor)?"
    axe()
    page.get_by_role("button", name="Disable the account").click()
    page.wait_for_url(re.compile(r"done=disabled"))
    axe()
    page.get_by_role("link", name="Enable agent.one").click()
    assert heading(page) == "Enable agent.one (supervisor)?"
    axe()
    page.get_by_role("button", name="Enable the account").click()
    page.wait_for_url(re.compile(r"done=enabled"))
    assert "enabled agent.one" in page.get_by_role("status").inner_text()
    axe()
    with container.uow() as uow:
        member = uow.staff.by_username("agent.one")
    assert (member.role, member.active) == ("supervisor", True)


def test_a_token_is_shown_once_survives_no_reload_and_is_revoked_after_asking(
    page, axe, personas, container
):
    sign_in(page, personas.agent)
    page.goto("/staff/tokens")
    axe()
    page.get_by_label("What the token is for").fill("crm sync")
    page.get_by_role("button", name="Make token").click()
    page.wait_for_url(re.compile(r"/staff/tokens\?done=created$"))
    assert page.get_by_test_id("new-token").inner_text().startswith("ck_")
    axe()
    page.reload()
    assert page.get_by_test_id("new-token").count() == 0
    axe()
    with container.uow() as uow:
        assert len(uow.tokens.for_staff(personas.agent.actor.id)) == 1
    page.get_by_role("link", name="Revoke crm sync").click()
    assert heading(page) == "Revoke the token “crm sync”?"
    axe()
    page.get_by_role("button", name="Revoke the token").click()
    page.wait_for_url(re.compile(r"done=revoked$"))
    assert page.get_by_role("status").inner_text() == "Done: token revoked."
    axe()
    with container.uow() as uow:
        (token,) = uow.tokens.for_staff(personas.agent.actor.id)
    assert token.revoked_at is not None
