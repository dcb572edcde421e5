"""Helpers for driving the web UI through plain HTTP (the browser suite drives Chromium)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from clientkeep.adapters.http.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def sign_in(client: TestClient, username: str, password: str):
    page = client.get("/sign-in")
    return client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )


@pytest.fixture
def web(container):
    with TestClient(create_app(container), base_url="http://testserver") as c:
        yield c


@pytest.fixture
def signed_in(container, personas):
    """A client signed in as the given persona role."""
    clients = []

    def make(role: str) -> TestClient:
        persona = getattr(personas, role)
        c = TestClient(create_app(container), base_url="http://testserver")
        c.__enter__()
        clients.append(c)
        response = sign_in(c, persona.username, persona.password)
        assert response.status_code == 303, response.text
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)
