"""The second factor in Chromium: set up under Your account with a code pyotp computes from
the key shown, then signing in with password and code, a wrong code and a replayed one
refused, a recovery code accepted once; a role the policy requires it of taken to set it up
before anything else; an administrator's reset, confirmed. A reload after each form repeats
nothing, and axe-core checks every page on the way."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from clientkeep.adapters.db.tables import audit_event
from clientkeep.policy.loader import default_policy_path, parse_policy
from clientkeep.staff import second_factor

pytestmark = pytest.mark.browser


def heading(page) -> str:
    return page.get_by_role("heading", level=1).inner_text()


def password_step(page, axe, persona) -> None:
    page.goto("/sign-in")
    axe()
    page.get_by_label("Username").fill(persona.username)
    page.get_by_label("Password").fill(persona.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: not url.endswith("/sign-in"))
    axe()


def sign_out(page, axe) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in\?signed_out=1$"))
    axe()


def enter_code(page, typed: str) -> None:
    page.get_by_label("Code").fill(typed)
    page.get_by_role("button", name="Continue").click()


def set_up(page, axe, clock) -> tuple[str, list[str]]:
    """From the second factor page: set it up with a code, returning the key and codes."""
    page.get_by_role("button", name="Set up a second factor").click()
    page.wait_for_url(re.compile(r"/account/second-factor/enrol$"))
    assert heading(page) == "Set up your second factor"
    axe()
    key = page.get_by_test_id("second-factor-key").inner_text().replace(" ", "")
    uri = page.get_by_test_id("second-factor-uri").get_attribute("href")
    assert uri.startswith("otpauth://totp/") and f"secret={key}" in uri
    page.reload()  # the same key, not a new one
    axe()
    assert page.get_by_test_id("second-factor-key").inner_text().replace(" ", "") == key
    totp = pyotp.TOTP(key)
    page.get_by_label("Code from your app").fill(totp.at(clock.now(), counter_offset=4))
    page.get_by_role("button", name="Turn on the second factor").click()
    assert "not right" in page.get_by_role("alert").inner_text()
    assert page.get_by_label("Code from your app").get_attribute("aria-invalid") == "true"
    axe()
    page.get_by_label("Code from your app").fill(totp.at(clock.now()))
    page.get_by_role("button", name="Turn on the second factor").click()
    page.wait_for_url(re.compile(r"/account/second-factor\?done=enrolled$"))
    axe()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == second_factor.RECOVERY_CODE_COUNT
    page.reload()  # shown once: a reload neither shows them again nor makes new ones
    axe()
    assert page.get_by_test_id("recovery-codes").count() == 0
    assert "on" in page.get_by_test_id("second-factor-status").inner_text()
    clock.advance(timedelta(minutes=5))  # past the step the enrolment code used
    return key, codes


def test_set_up_then_sign_in_with_a_code_or_a_recovery_code(page, axe, personas, container):
    clock = container.clock
    password_step(page, axe, personas.agent)
    page.goto("/account/password")
    axe()
    assert "off" in page.get_by_test_id("second-factor-summary").inner_text()
    page.get_by_role("link", name="Set up a second factor").click()
    page.wait_for_url(re.compile(r"/account/second-factor$"))
    axe()
    key, codes = set_up(page, axe, clock)
    sign_out(page, axe)

    password_step(page, axe, personas.agent)
    assert page.url.endswith("/sign-in/second-factor")
    assert heading(page) == "Enter your code"
    page.goto("/customers")  # the half session opens nothing else
    page.wait_for_url(re.compile(r"/sign-in/second-factor$"))
    axe()
    enter_code(page, "000000")
    assert "not right" in page.get_by_role("alert").inner_text()
    axe()
    now_code = pyotp.TOTP(key).at(clock.now())
    enter_code(page, now_code)
    page.wait_for_url(re.compile(r"/$"))
    assert heading(page).startswith("Welcome")
    axe()
    page.reload()
    axe()
    sign_out(page, axe)

    password_step(page, axe, personas.agent)
    enter_code(page, now_code)  # used once already
    assert "not right" in page.get_by_role("alert").inner_text()
    axe()
    enter_code(page, codes[0])
    page.wait_for_url(re.compile(r"/$"))
    axe()
    sign_out(page, axe)

    password_step(page, axe, personas.agent)
    enter_code(page, codes[0])  # each recovery code works once
    assert "not right" in page.get_by_role("alert").inner_text()
    axe()
    page.get_by_role("button", name="Cancel and sign out").click()
    page.wait_for_url(re.compile(r"/sign-in\?signed_out=1$"))
    axe()


def test_a_role_that_requires_it_sets_it_up_before_anything_else(page, axe, personas, container):
    text = default_policy_path().read_text()
    optional = 'second_factor = "optional"'
    at = text.index(optional, text.index("[roles.agent]"))
    required = text[:at] + 'second_factor = "required"' + text[at + len(optional) :]
    container.policy = parse_policy(required)

    password_step(page, axe, personas.agent)
    assert page.url.endswith("/account/second-factor")
    assert "requires a second factor" in page.get_by_role("status").first.inner_text()
    page.goto("/customers")
    page.wait_for_url(re.compile(r"/account/second-factor$"))
    axe()
    page.goto("/account/password")
    page.wait_for_url(re.compile(r"/account/second-factor$"))
    axe()
    set_up(page, axe, container.clock)
    status = page.get_by_test_id("second-factor-status").inner_text()
    assert "required by policy" in status
    assert page.get_by_role("button", name="Turn off the second factor").count() == 0
    page.goto("/")
    assert heading(page).startswith("Welcome")
    axe()


def test_an_administrator_resets_a_members_second_factor(page, axe, personas, container):
    agent = personas.agent.actor
    common = {"actor": agent, "clock": container.clock, "sealer": container.second_factor_sealer}
    second_factor.begin_enrolment(uow=container.uow(), **common)
    shown = second_factor.pending_enrolment(
        uow=container.uow(), actor=agent, sealer=container.second_factor_sealer
    )
    second_factor.confirm_enrolment(
        pyotp.TOTP(shown.secret).at(container.clock.now()),
        uow=container.uow(),
        policy=container.policy,
        **common,
    )
    password_step(page, axe, personas.admin)
    page.goto("/staff")
    axe()
    row = page.get_by_role("row").filter(has_text="agent.one")
    assert "on" in row.get_by_role("cell").nth(3).inner_text()
    page.get_by_role("link", name="Reset second factor of agent.one").click()
    assert heading(page) == "Reset the second factor of agent.one (agent)?"
    axe()
    page.get_by_role("button", name="Reset the second factor").click()
    page.wait_for_url(re.compile(r"/staff\?done=second_factor_reset"))
    assert "reset the second factor of agent.one" in page.get_by_role("status").inner_text()
    axe()
    page.reload()
    axe()
    row = page.get_by_role("row").filter(has_text="agent.one")
    assert row.get_by_role("cell").nth(3).inner_text() == "off"
    assert page.get_by_role("link", name="Reset second factor of agent.one").count() == 0
    with container.engine.connect() as conn:
        actions = list(conn.scalars(select(audit_event.c.action)))
    assert actions.count("staff.second_factor_reset") == 1
