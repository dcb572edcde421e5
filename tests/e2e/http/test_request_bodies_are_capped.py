"""A request body over the cap is refused with 413 before anything parses it."""

from __future__ import annotations

import asyncio
import dataclasses
import json

import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import Response

from clientkeep.adapters.http.app import create_app
from clientkeep.adapters.http.body_limit import BodyLimit
from clientkeep.adapters.http.problems import problem
from tests.e2e.conftest import bearer

CAP = 1024 * 1024  # the default CLIENTKEEP_MAX_BODY_BYTES


def padded_registration(size: int) -> bytes:
    body = {"purpose": "service", "source": "phone", "fields": {"given_name": "Ada"}}
    raw = json.dumps(body).encode()
    return raw[:-1] + b", " + b'"pad": "' + b"x" * (size - len(raw) - 11) + b'"}'


def registrations(container) -> int:
    with container.uow().reading() as uow:
        return len(uow.audit.page(limit=500, action="customer.created"))


def assert_413_problem(response) -> None:
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 413 and body["request_id"] == response.headers["x-request-id"]
    assert response.headers["cache-control"] == "no-store"


def test_a_declared_length_over_the_cap_is_refused_unread(client, tokens, container) -> None:
    body = padded_registration(CAP + 1)
    assert len(body) == CAP + 1
    response = client.post(
        "/api/v1/customers",
        content=body,
        headers={**bearer(tokens["agent"]), "Content-Type": "application/json"},
    )
    assert_413_problem(response)
    assert registrations(container) == 0


def test_a_body_at_the_cap_is_read(client, tokens) -> None:
    response = client.post(
        "/api/v1/customers",
        content=padded_registration(CAP),
        headers={**bearer(tokens["agent"]), "Content-Type": "application/json"},
    )
    assert response.status_code == 422  # parsed, and refused for its unknown key
    assert response.json()["errors"][0]["field"] == "*"


def test_a_chunked_body_over_the_cap_is_refused(client, tokens, container) -> None:
    def chunks():
        yield padded_registration(CAP + 10)

    response = client.post(
        "/api/v1/customers",
        content=chunks(),
        headers={**bearer(tokens["agent"]), "Content-Type": "application/json"},
    )
    assert "content-length" not in response.request.headers
    assert_413_problem(response)
    assert registrations(container) == 0


def test_a_web_form_over_the_cap_gets_a_page_not_json(client) -> None:
    response = client.post(
        "/sign-in",
        data={"username": "someone", "password": "x" * (CAP + 1)},
        follow_redirects=False,
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-frame-options"] == "DENY"


def test_the_cap_comes_from_the_settings(container, tokens) -> None:
    small = dataclasses.replace(
        container, settings=dataclasses.replace(container.settings, max_body_bytes=4096)
    )
    try:
        with TestClient(create_app(small)) as c:
            response = c.post(
                "/api/v1/customers/search",
                content=b"{" + b" " * 5000 + b"}",
                headers={**bearer(tokens["agent"]), "Content-Type": "application/json"},
            )
        assert_413_problem(response)
        assert "4096 bytes" in response.json()["detail"]
    finally:
        small.close()


def answer(request: Request, exc: Exception) -> Response:
    return problem(413, "Content too large", "too big", slug="http-413")


def run_limited(app, *, max_bytes: int, chunks: list[bytes], headers=(), http_version="1.1"):
    """Drives BodyLimit by hand: returns (messages sent, how many times receive was called)."""
    received = 0
    sent: list[dict] = []

    async def receive():
        nonlocal received
        received += 1
        more = received < len(chunks)
        return {"type": "http.request", "body": chunks[received - 1], "more_body": more}

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "http_version": http_version,
        "method": "POST",
        "path": "/x",
        "headers": list(headers),
    }
    asyncio.run(BodyLimit(app, answer=answer, max_bytes=max_bytes)(scope, receive, send))
    return sent, received


def test_a_streamed_body_stops_being_read_once_over_the_cap() -> None:
    async def reads_everything(scope, receive, send) -> None:
        while (await receive()).get("more_body"):
            pass
        raise AssertionError("the whole body was read")

    chunked = [(b"transfer-encoding", b"chunked")]
    sent, received = run_limited(
        reads_everything, max_bytes=2500, chunks=[b"x" * 1000] * 10, headers=chunked
    )
    assert received == 3
    assert sent[0]["status"] == 413


def test_a_body_framed_some_other_way_is_counted_too() -> None:
    async def reads_everything(scope, receive, send) -> None:
        while (await receive()).get("more_body"):
            pass
        raise AssertionError("the whole body was read")

    # HTTP/2 frames a body without either header.
    sent, received = run_limited(
        reads_everything, max_bytes=2500, chunks=[b"x" * 1000] * 10, http_version="2"
    )
    assert (sent[0]["status"], received) == (413, 3)


def test_a_declared_length_over_the_cap_never_reaches_the_app() -> None:
    async def app(scope, receive, send) -> None:
        raise AssertionError("the app ran")

    sent, received = run_limited(
        app, max_bytes=100, chunks=[b"x" * 101], headers=[(b"content-length", b"101")]
    )
    assert (sent[0]["status"], received) == (413, 0)


@pytest.mark.parametrize("length", [b"0", b"100"])
def test_a_body_within_its_declared_length_passes_untouched(length) -> None:
    seen = []

    async def app(scope, receive, send) -> None:
        seen.append(receive)
        await Response("ok")(scope, receive, send)

    sent, _ = run_limited(app, max_bytes=100, chunks=[b""], headers=[(b"content-length", length)])
    assert sent[0]["status"] == 200 and seen[0].__name__ == "receive"


@pytest.fixture
def live_url(container):
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(container), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_a_real_server_stops_a_chunked_upload_once_it_passes_the_cap(live_url, tokens) -> None:
    import httpx

    def chunks():
        yield b'{"purpose": "service", "name": "'
        for _ in range(40):  # 2.5 MiB, over the cap
            yield b"x" * (64 * 1024)
        yield b'"}'

    headers = {**bearer(tokens["agent"]), "Content-Type": "application/json"}
    try:
        response = httpx.post(
            f"{live_url}/api/v1/customers/search", content=chunks(), headers=headers, timeout=30
        )
    except httpx.HTTPError:
        pytest.fail("the server should answer 413, not drop the connection unanswered")
    assert_413_problem(response)
