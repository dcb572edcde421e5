"""An Idempotency-Key that is empty, blank, too long or not visible ASCII is refused, and
nothing is registered."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import bearer

BODY = {
    "purpose": "service",
    "source": "phone",
    "fields": {"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"},
}


def registrations(container) -> int:
    with container.uow().reading() as uow:
        return len(uow.audit.page(limit=500, action="customer.created"))


def register(client, token, key: bytes):
    # Raw bytes, so the header reaches the app exactly as sent.
    headers = [(b"authorization", f"Bearer {token}".encode()), (b"idempotency-key", key)]
    return client.post("/api/v1/customers", json=BODY, headers=headers)


@pytest.mark.parametrize(
    "key",
    [b"", b"   ", b"\t", b"k" * 201, b"two words", "cl\u00e9".encode(), b"tab\there", b"del\x7f"],
    ids=["empty", "spaces", "tab", "too-long", "inner-space", "non-ascii", "control", "del"],
)
def test_an_unusable_key_is_a_422_naming_the_header(client, tokens, container, key) -> None:
    response = register(client, tokens["agent"], key)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == ["Idempotency-Key"]
    assert registrations(container) == 0


def test_a_key_of_two_hundred_visible_characters_is_used(client, tokens, container) -> None:
    key = (b"Az09-_.~!" * 30)[:200]
    first = register(client, tokens["agent"], key)
    again = register(client, tokens["agent"], key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert registrations(container) == 1


def test_without_the_header_each_request_registers(client, tokens, container) -> None:
    for _ in range(2):
        response = client.post("/api/v1/customers", json=BODY, headers=bearer(tokens["agent"]))
        assert response.status_code == 201
    assert registrations(container) == 2


def test_the_header_is_described_in_openapi(client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    parameters = spec["paths"]["/api/v1/customers"]["post"]["parameters"]
    assert "Idempotency-Key" in {p["name"] for p in parameters}
