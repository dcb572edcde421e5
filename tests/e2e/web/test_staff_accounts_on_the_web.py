"""The administrator looks after accounts on the web: each change is shown first, naming the
person and what will happen, and done only by the confirming POST, which redirects."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from clientkeep.adapters.db.tables import audit_event
from tests.e2e.web.conftest import csrf_of, sign_in

TEMPORARY = "a temporary passphrase"
NEW = "my very own new passphrase"


def confirm(client, path: str, **data: str):
    page = client.get(path)
    assert page.status_code == 200, page.text
    response = client.post(
        path, data={"csrf_token": csrf_of(page.text), **data}, follow_redirects=False
    )
    return page, response


def trail_length(container) -> int:
    with container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(audit_event)).scalar_one()


def member(container, username: str):
    with container.uow() as uow:
        return uow.staff.by_username(username)


@pytest.mark.parametrize(
    ("action", "heading"),
    [
        ("disable", "Disable agent.one (agent)?"),
        ("reset-password", "Reset the password of agent.one (agent)?"),
        ("unlock", "Unlock agent.one (agent)?"),
    ],
)
def test_the_confirmation_page_names_the_person_and_changes_nothing(
    signed_in, container, action, heading
) -> None:
    admin = signed_in("admin")
    before = member(container, "agent.one")
    page = admin.get(f"/staff/agent.one/{action}")
    assert page.status_code == 200 and f"<h1>{heading}</h1>" in page.text
    assert member(container, "agent.one") == before


def test_disable_and_enable_after_confirming(signed_in, container, web, personas) -> None:
    admin = signed_in("admin")
    page, done = confirm(admin, "/staff/agent.one/disable")
    assert "every API token they hold is revoked" in page.text
    assert done.status_code == 303
    assert "Done: disabled agent.one" in admin.get(done.headers["location"]).text
    assert not member(container, "agent.one").active
    assert sign_in(web, "agent.one", personas.agent.password).status_code == 401
    _, done = confirm(admin, "/staff/agent.one/enable")
    assert "Done: enabled agent.one" in admin.get(done.headers["location"]).text
    assert sign_in(web, "agent.one", personas.agent.password).status_code == 303


def test_a_reload_of_the_page_after_a_change_repeats_nothing(signed_in, container) -> None:
    admin = signed_in("admin")
    _, done = confirm(admin, "/staff/agent.one/disable")
    before = trail_length(container)
    for _ in range(2):
        assert admin.get(done.headers["location"]).status_code == 200
    assert trail_length(container) == before


def test_unlocking_after_failed_sign_ins(signed_in, container, web, personas) -> None:
    for _ in range(container.policy.staff.max_failed_sign_ins):
        sign_in(web, "agent.one", "not the password at all")
    admin = signed_in("admin")
    assert "locked" in admin.get("/staff").text
    _, done = confirm(admin, "/staff/agent.one/unlock")
    assert "Done: unlocked agent.one" in admin.get(done.headers["location"]).text
    assert sign_in(web, "agent.one", personas.agent.password).status_code == 303


def test_a_reset_password_must_be_changed_before_anything_else(signed_in, web) -> None:
    admin = signed_in("admin")
    _, done = confirm(admin, "/staff/agent.one/reset-password", password=TEMPORARY)
    assert "Done: reset the password of agent.one" in admin.get(done.headers["location"]).text
    signed = sign_in(web, "agent.one", TEMPORARY)
    assert signed.status_code == 303 and signed.headers["location"] == "/account/password"
    for path in ("/", "/staff/tokens", "/customers"):
        landed = web.get(path)
        assert landed.url.path == "/account/password", path
        assert "An administrator has reset your password" in landed.text
    form = web.get("/account/password").text
    refused = web.post("/staff/tokens", data={"label": "x", "csrf_token": csrf_of(form)})
    assert refused.url.path == "/account/password" and "new-token" not in refused.text
    changed = web.post(
        "/account/password",
        data={
            "current_password": TEMPORARY,
            "new_password": NEW,
            "confirm_password": NEW,
            "csrf_token": csrf_of(form),
        },
        follow_redirects=False,
    )
    assert changed.headers["location"] == "/account/password?done=changed"
    assert web.get("/").url.path == "/"


def test_a_weak_temporary_password_is_marked_on_the_field(signed_in, container) -> None:
    admin = signed_in("admin")
    page = admin.get("/staff/agent.one/reset-password")
    response = admin.post(
        "/staff/agent.one/reset-password",
        data={"password": "short", "csrf_token": csrf_of(page.text)},
    )
    assert response.status_code == 422
    assert '<a href="#password">' in response.text and 'aria-invalid="true"' in response.text
    assert 'value="short"' not in response.text
    assert not member(container, "agent.one").must_change_password


def test_changing_your_own_password_needs_the_current_one(signed_in, personas) -> None:
    agent = signed_in("agent")
    form = agent.get("/account/password").text
    response = agent.post(
        "/account/password",
        data={
            "current_password": "not my password",
            "new_password": NEW,
            "confirm_password": NEW,
            "csrf_token": csrf_of(form),
        },
    )
    assert response.status_code == 422
    assert '<a href="#current_password">That is not your current password.</a>' in response.text
    assert 'id="current_password" name="current_password"' in response.text
    assert 'aria-describedby="current_password-error"' in response.text


def test_changing_a_role_is_confirmed_first(signed_in, container) -> None:
    admin = signed_in("admin")
    chooser = admin.get("/staff/agent.one/role")
    assert '<label for="role">New role</label>' in chooser.text
    page = admin.get("/staff/agent.one/role", params={"role": "supervisor"})
    assert "changes from <strong>agent</strong>" in page.text
    assert member(container, "agent.one").role == "agent"
    response = admin.post(
        "/staff/agent.one/role",
        data={"role": "supervisor", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert "Done: changed the role of agent.one" in admin.get(response.headers["location"]).text
    assert member(container, "agent.one").role == "supervisor"


@pytest.mark.parametrize("role", ["wizard", "system"])
def test_a_role_the_policy_lacks_is_refused_on_the_field(signed_in, container, role) -> None:
    admin = signed_in("admin")
    page = admin.get("/staff/agent.one/role", params={"role": role})
    assert page.status_code == 422 and 'aria-invalid="true"' in page.text
    response = admin.post(
        "/staff/agent.one/role", data={"role": role, "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 422 and '<a href="#role">Unknown role' in response.text
    assert member(container, "agent.one").role == "agent"


def test_the_last_active_admin_keeps_a_role_that_manages_staff(signed_in, container) -> None:
    admin = signed_in("admin")
    _, done = confirm(admin, "/staff/root.admin/disable")
    assert done.status_code == 303
    page = admin.get("/staff/admin.one/role", params={"role": "agent"})
    response = admin.post(
        "/staff/admin.one/role", data={"role": "agent", "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 422
    assert "Another administrator must change your role." in response.text


def test_an_agent_may_not_see_or_use_the_account_pages(signed_in, container) -> None:
    agent = signed_in("agent")
    token = csrf_of(agent.get("/staff/tokens").text)
    for action in ("disable", "enable", "unlock", "reset-password", "role"):
        assert agent.get(f"/staff/supervisor.one/{action}").status_code == 403
        refused = agent.post(
            f"/staff/supervisor.one/{action}",
            data={"csrf_token": token, "role": "admin", "password": TEMPORARY},
        )
        assert refused.status_code == 403
    assert member(container, "supervisor.one").role == "supervisor"
    assert member(container, "supervisor.one").active


def test_the_admin_sees_and_revokes_anyones_token(signed_in, container) -> None:
    agent = signed_in("agent")
    agent.post(
        "/staff/tokens",
        data={"label": "crm sync", "csrf_token": csrf_of(agent.get("/staff/tokens").text)},
    )
    admin = signed_in("admin")
    staff_page = admin.get("/staff").text
    row = re.search(r"<th scope=\"row\">crm sync</th>\s*<td>([^<]+)</td>", staff_page)
    assert row and row.group(1) == "agent.one (agent)"
    (token_id,) = re.findall(r'href="/staff/tokens/(tok_[a-z0-9]+)/revoke"', staff_page)
    page, done = confirm(admin, f"/staff/tokens/{token_id}/revoke")
    assert "This token belongs to agent.one (agent)." in page.text
    assert "Done: revoked a token of agent.one" in admin.get(done.headers["location"]).text
    with container.uow() as uow:
        assert uow.tokens.get(token_id).revoked_at is not None


def test_a_member_who_must_change_their_password_may_still_sign_out(signed_in, web) -> None:
    admin = signed_in("admin")
    confirm(admin, "/staff/agent.one/reset-password", password=TEMPORARY)
    sign_in(web, "agent.one", TEMPORARY)
    token = csrf_of(web.get("/account/password").text)
    out = web.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
    assert out.headers["location"] == "/sign-in?signed_out=1"
    assert web.get("/account/password", follow_redirects=False).status_code == 303
