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


# axe-core from the npm registry (scripts/dev.py installs it under .cache/axe).
AXE_JS = Path(
    os.environ.get(
        "CLIENTKEEP_AXE_JS",
        Path(__file__).resolve().parents[3] / ".cache/axe/node_modules/axe-core/axe.min.js",
    )
)
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    where: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


class Accessibility:
    """axe-core on every page a test visits: each document the main frame navigates to must be
    checked (``check()``) while it is the page shown, or the test fails when it ends."""

    def __init__(self, page, source: str) -> None:
        self._page = page
        self._source = source
        self.visited: list[str] = []
        self._checked: set[int] = set()
        # Only notes the navigation: no browser call may be made from inside an event.
        page.on("framenavigated", self._navigated)

    def _navigated(self, frame) -> None:
        if frame != self._page.main_frame:
            return
        # A jump to an anchor (an error summary's link) stays on the same document.
        same = bool(self.visited) and frame.url.split("#")[0] == self.visited[-1].split("#")[0]
        if "#" in frame.url and same:
            return
        self.visited.append(frame.url)

    def check(self) -> None:
        """Zero axe-core violations on the page as it is now."""
        page = self._page
        page.wait_for_load_state("load")
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(self._source)  # evaluated by the browser's debugger, not blocked by CSP
        violations = page.evaluate(AXE_RUN)
        assert violations == [], f"axe-core on {page.url}: {violations}"
        if self.visited:
            self._checked.add(len(self.visited) - 1)

    def unchecked(self) -> list[str]:
        return [url for i, url in enumerate(self.visited) if i not in self._checked]


@pytest.fixture
def page(browser, live_server):
    if not AXE_JS.exists():
        unavailable(f"no axe-core at {AXE_JS} (scripts/dev.py test installs it with npm)")
    context = browser.new_context(base_url=live_server)
    p = context.new_page()
    watch = Accessibility(p, AXE_JS.read_text())
    p.accessibility_check = watch
    yield p
    context.close()
    unchecked = watch.unchecked()
    assert not unchecked, f"pages visited without an axe-core check: {unchecked}"


@pytest.fixture
def axe(page):
    """Call after each navigation: axe-core finds no violation on the page shown."""
    return page.accessibility_check.check


def sign_in_browser(page, persona) -> None:
    """Sign in from the sign-in page, checking it and the page it leads to with axe-core."""
    page.goto("/sign-in")
    page.accessibility_check.check()
    page.get_by_label("Username").fill(persona.username)
    page.get_by_label("Password").fill(persona.password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/sign-in" not in url)
    page.accessibility_check.check()
