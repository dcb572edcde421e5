"""The API docs page and its assets come from this server: nothing on another host."""

from __future__ import annotations

import re

from clientkeep.adapters.http.app import API_DOCS_ASSETS

URL_ATTRIBUTE = re.compile(r'(?:src|href)="([^"]+)"')


def test_the_docs_page_names_no_other_host(client) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.text
    assert "http://" not in html
    assert "https://" not in html
    assert "//" not in "".join(URL_ATTRIBUTE.findall(html))
    assert sorted(URL_ATTRIBUTE.findall(html)) == [
        "/static/api-docs-headings.js",  # ours: Swagger UI's colours and headings put right
        "/static/api-docs.css",
        f"{API_DOCS_ASSETS}/favicon.png",
        f"{API_DOCS_ASSETS}/swagger-ui-bundle.js",
        f"{API_DOCS_ASSETS}/swagger-ui.css",
    ]
    assert "'/api/v1/openapi.json'" in html


def test_every_asset_the_docs_page_names_is_served_here(client) -> None:
    html = client.get("/docs").text
    for url in URL_ATTRIBUTE.findall(html):
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert len(asset.content) > 500, url
    script = client.get(f"{API_DOCS_ASSETS}/swagger-ui-bundle.js")
    assert "SwaggerUIBundle" in script.text
    assert "javascript" in script.headers["content-type"]
    # Assets hold no personal data: unlike pages, they may be cached.
    assert "no-store" not in script.headers.get("cache-control", "")


def test_the_docs_page_lets_in_only_its_own_inline_script(client) -> None:
    response = client.get("/docs")
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["content-security-policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'none'"
    sources = policy["script-src"].split()
    assert sources[0] == "'self'"
    assert len(sources) == 2 and sources[1].startswith("'sha256-")
    assert "unsafe" not in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-frame-options"] == "DENY"


def test_only_the_docs_page_has_the_inline_script_let_in(client) -> None:
    docs = client.get("/docs").headers["content-security-policy"]
    for path in ("/api/v1/health", "/sign-in"):
        policy = client.get(path).headers["content-security-policy"]
        assert "sha256-" not in policy
        assert policy != docs


def test_the_docs_page_names_its_language_and_main_landmark(client) -> None:
    html = client.get("/docs").text
    assert '<html lang="en">' in html
    assert '<main id="swagger-ui"></main>' in html


def test_a_head_request_for_the_docs_gets_their_headers(client) -> None:
    head = client.head("/docs")
    assert head.status_code == 200
    assert (
        head.headers["content-security-policy"]
        == client.get("/docs").headers["content-security-policy"]
    )


def test_the_docs_no_longer_offer_the_oauth_redirect_or_redoc(client) -> None:
    assert client.get("/docs/oauth2-redirect").status_code == 404
    assert client.get("/redoc").status_code == 404
