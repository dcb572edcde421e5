"""The API docs page in Chromium with no internet: every request to another host is aborted,
and the docs still show the API's operations, under the page's own security policy.

The page blocks every other host itself, so it is built here from the suite's browser and
server; axe-core runs on it as on every page the suite visits. Swagger UI's own colours and
heading levels fail two axe-core rules; the docs page adds a stylesheet and a script of ours
(adapters/web/static/api-docs.*) that put them right, and the test expects no violation.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.conftest import unavailable
from tests.e2e.web.conftest import AXE_JS, AXE_RUN

pytestmark = pytest.mark.browser


@pytest.fixture
def offline(browser, live_server) -> Iterator[tuple[object, list[str], list[str]]]:
    """A page that reaches only the test server, with the requests it aborted and the
    Content-Security-Policy refusals its console reported."""
    if not AXE_JS.exists():
        unavailable(f"no axe-core at {AXE_JS} (scripts/dev.py test installs it with npm)")
    here = urlsplit(live_server).netloc
    elsewhere: list[str] = []
    refused: list[str] = []

    def only_this_server(route) -> None:
        if urlsplit(route.request.url).netloc == here:
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.route("**/*", only_this_server)
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page, elsewhere, refused
    context.close()


def _show_the_docs(page) -> None:
    page.goto("/docs")
    page.locator(".opblock").first.wait_for(timeout=10_000)
    page.wait_for_load_state("load")


def test_the_api_docs_list_the_operations_with_no_internet(offline) -> None:
    page, elsewhere, refused = offline
    _show_the_docs(page)
    assert page.get_by_role("heading", level=1).inner_text().startswith("clientkeep")
    paths = [
        p.replace("\u200b", "") for p in page.locator(".opblock-summary-path").all_inner_texts()
    ]
    assert {"/api/v1/health", "/api/v1/me", "/api/v1/audit"} <= set(paths)
    assert page.get_by_role("main").count() == 1
    assert elsewhere == []
    assert refused == []


def test_axe_finds_no_violation_on_the_docs(offline) -> None:
    page, _, _ = offline
    _show_the_docs(page)
    # Every group of operations expanded, so axe-core sees each operation's badge and path.
    assert page.locator("#swagger-ui h3.opblock-tag[aria-level='2']").count() >= 3
    page.evaluate(AXE_JS.read_text())
    found = page.evaluate(AXE_RUN)
    assert found == [], json.dumps(found, indent=1)
