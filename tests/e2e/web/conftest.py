"""Helpers for driving the web UI through plain HTTP (the browser suite drives Chromium)."""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from clientkeep.adapters.http.app import create_app
from tests.conftest import unavailable

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


# Browser suite: a live server on loopback and Debian's Chromium driven by Playwright.
CHROMIUM = os.environ.get("CLIENTKEEP_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def live_server(container) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            pytest.fail("the server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server)
    p = context.new_page()
    yield p
    context.close()


def sign_in_browser(page, persona) -> None:
    page.goto("/sign-in")
    page.get_by_label("Username").fill(persona.username)
    page.get_by_label("Password").fill(persona.password)
    page.get_by_role("button", name="Sign in").click()
