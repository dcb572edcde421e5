"""Each role's navigation shows only the screens it may use, and the screens enforce it."""

from __future__ import annotations

import re

import pytest

from tests.e2e.web.conftest import csrf_of

NAV = re.compile(r'<nav aria-label="Main">(.*?)</nav>', re.S)


def nav_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', NAV.search(html).group(1))


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (
            "agent",
            ["/", "/customers", "/complaints", "/follow-ups", "/policy", "/account/password"],
        ),
        (
            "supervisor",
            [
                "/",
                "/customers",
                "/review",
                "/third-party-requests",
                "/complaints",
                "/follow-ups",
                "/reports/satisfaction",
                "/policy",
                "/account/password",
            ],
        ),
        (
            "dpo",
            [
                "/",
                "/customers",
                "/review",
                "/third-party-requests",
                "/complaints",
                "/follow-ups",
                "/reports/satisfaction",
                "/audit",
                "/policy",
                "/account/password",
            ],
        ),
        ("admin", ["/", "/staff", "/outbox", "/policy", "/account/password"]),
    ],
)
def test_the_navigation_fits_the_role(signed_in, role: str, links: list[str]) -> None:
    assert nav_links(signed_in(role).get("/").text) == links


@pytest.mark.parametrize(
    ("role", "path"),
    [("agent", "/staff"), ("agent", "/audit"), ("dpo", "/staff"), ("admin", "/audit")],
)
def test_a_screen_outside_the_role_is_forbidden(signed_in, role: str, path: str) -> None:
    response = signed_in(role).get(path)
    assert response.status_code == 403
    assert "<h1>Forbidden</h1>" in response.text


def test_the_home_page_says_what_the_role_may_do(signed_in) -> None:
    agent_home = signed_in("agent").get("/").text
    assert "does not see special-category" in agent_home
    admin_home = signed_in("admin").get("/").text
    assert "sees no customer data" in admin_home


def test_the_admin_adds_staff_on_the_web(signed_in, container) -> None:
    admin = signed_in("admin")
    token = csrf_of(admin.get("/staff").text)
    response = admin.post(
        "/staff",
        data={
            "username": "new.agent",
            "display_name": "New Agent",
            "role": "agent",
            "password": "a fine long password",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert response.status_code == 200 and "new.agent" in response.text
    with container.uow() as uow:
        assert uow.staff.by_username("new.agent").role == "agent"


def test_bad_staff_input_is_shown_beside_the_field_and_saves_nothing(signed_in, container) -> None:
    admin = signed_in("admin")
    token = csrf_of(admin.get("/staff").text)
    response = admin.post(
        "/staff",
        data={"username": "x y", "role": "agent", "password": "short", "csrf_token": token},
    )
    assert response.status_code == 422
    assert 'id="username-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    with container.uow() as uow:
        assert uow.staff.by_username("x y") is None


def test_adding_staff_without_the_csrf_token_is_refused(signed_in, container) -> None:
    admin = signed_in("admin")
    response = admin.post(
        "/staff", data={"username": "sneaky", "role": "admin", "password": "a fine long password"}
    )
    assert response.status_code == 403
    with container.uow() as uow:
        assert uow.staff.by_username("sneaky") is None


def test_the_dpo_verifies_the_chain_on_the_web(signed_in) -> None:
    dpo = signed_in("dpo")
    token = csrf_of(dpo.get("/audit").text)
    response = dpo.post("/audit/verify", data={"csrf_token": token})
    assert response.status_code == 200
    assert "Intact:" in response.text
