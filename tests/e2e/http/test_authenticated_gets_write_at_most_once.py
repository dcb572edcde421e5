"""An authenticated API read writes at most once: its use case's audit event. Finding the
token behind the request takes no writing transaction of its own."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from clientkeep.adapters.db.engine import READ_ONLY
from tests.e2e.conftest import bearer


@contextmanager
def writing_transactions(engine):
    writing: list[object] = []

    def on_begin(conn) -> None:
        if not conn.get_execution_options().get(READ_ONLY):
            writing.append(conn)

    event.listen(engine, "begin", on_begin)
    try:
        yield writing
    finally:
        event.remove(engine, "begin", on_begin)


def test_who_am_i_writes_nothing_once_the_tokens_use_is_recorded(client, tokens, container):
    headers = bearer(tokens["agent"])
    assert client.get("/api/v1/me", headers=headers).status_code == 200  # records the use
    with writing_transactions(container.engine) as writing:
        for _ in range(5):
            assert client.get("/api/v1/me", headers=headers).status_code == 200
    assert writing == []


def test_reading_a_customer_writes_once_for_its_audit_event(client, tokens, container):
    headers = bearer(tokens["agent"])
    ada = {"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"}
    body = {"purpose": "service", "source": "phone", "fields": ada}
    made = client.post("/api/v1/customers", json=body, headers=headers)
    assert made.status_code == 201, made.text
    with writing_transactions(container.engine) as writing:
        response = client.get(
            f"/api/v1/customers/{made.json()['id']}", params={"purpose": "service"}, headers=headers
        )
    assert response.status_code == 200
    assert len(writing) <= 1
