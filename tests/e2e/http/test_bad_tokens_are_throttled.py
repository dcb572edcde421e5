"""A client sending bad tokens is tallied in the trail, not recorded per request, and refused."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import event

from clientkeep.adapters.http.app import create_app
from tests.e2e.conftest import bearer

BOGUS = bearer("ck_bogus-token-from-an-attacker")
LIMIT = 10  # the default CLIENTKEEP_AUTH_FAILURES_PER_MINUTE


def trail_length(container) -> int:
    with container.uow().reading() as uow:
        head = uow.audit.head()
    return head.seq if head else 0


def failed_events(container):
    with container.uow().reading() as uow:
        return [e.entry for e in uow.audit.page(limit=500, action="auth.failed")]


@contextmanager
def transactions(container):
    """Counts every transaction begun on the main database while the block runs."""
    begun: list[object] = []

    def on_begin(conn) -> None:
        begun.append(conn)

    event.listen(container.engine, "begin", on_begin)
    try:
        yield begun
    finally:
        event.remove(container.engine, "begin", on_begin)


def test_three_hundred_bad_tokens_leave_one_event_not_three_hundred(client, container) -> None:
    before = trail_length(container)
    statuses = [client.get("/api/v1/me", headers=BOGUS).status_code for _ in range(300)]
    assert statuses == [401] * LIMIT + [429] * (300 - LIMIT)
    assert trail_length(container) == before + 1
    [first] = failed_events(container)
    assert (first.action, first.actor_id, first.credential) == ("auth.failed", "anonymous", "token")
    assert first.detail["source"] == "testclient" and first.detail["count"] == 1


def test_a_refused_client_gets_a_429_problem_with_retry_after(client) -> None:
    for _ in range(LIMIT):
        client.get("/api/v1/me", headers=BOGUS)
    response = client.get("/api/v1/me", headers=BOGUS)
    assert response.status_code == 429
    assert response.headers["content-type"].startswith("application/problem+json")
    assert 1 <= int(response.headers["retry-after"]) <= 60
    body = response.json()
    assert (body["status"], body["title"]) == (429, "Too many requests")
    assert body["request_id"] == response.headers["x-request-id"]


def test_a_refused_request_does_no_database_work(client, container) -> None:
    for _ in range(LIMIT):
        client.get("/api/v1/me", headers=BOGUS)
    with transactions(container) as begun:
        assert client.get("/api/v1/me", headers=BOGUS).status_code == 429
    assert begun == []


def test_the_rest_are_summarised_when_the_next_interval_begins(client, container) -> None:
    for _ in range(50):
        client.get("/api/v1/me", headers=BOGUS)
    container.clock.advance(timedelta(minutes=1, seconds=1))
    assert client.get("/api/v1/me", headers=BOGUS).status_code == 401
    first, summary, again = failed_events(container)
    assert (summary.detail["count"], summary.detail["refused"]) == (LIMIT - 1, 50 - LIMIT)
    assert summary.detail["interval_start"] == first.detail["interval_start"]
    assert again.detail["count"] == 1


def test_what_is_still_counted_is_recorded_at_shutdown(container) -> None:
    with TestClient(create_app(container)) as c:
        for _ in range(4):
            c.get("/api/v1/me", headers=BOGUS)
    assert [e.detail["count"] for e in failed_events(container)] == [1, 3]


def test_other_clients_and_unauthenticated_health_checks_are_not_refused(client, tokens) -> None:
    for _ in range(LIMIT + 5):
        client.get("/api/v1/me", headers=BOGUS)
    assert client.get("/api/v1/health").status_code == 200
    elsewhere = TestClient(client.app, client=("192.0.2.9", 50000))  # the same app and ledger
    assert elsewhere.get("/api/v1/me", headers=bearer(tokens["agent"])).status_code == 200
    assert client.get("/api/v1/me", headers=bearer(tokens["agent"])).status_code == 429
