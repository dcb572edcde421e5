"""Fuzzing the API with a canary in every key and value: no error ever sends it back.

Each request body is a valid one with one thing changed: a value swapped for the canary (as
text, inside an object, inside a list, or far too long), a key renamed to the canary, or the
canary added as a key at some level. Query strings, path segments and tokens get the same.
An error's status, headers and body must never hold the canary; a success may (a name the
client registered is theirs to read back).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import bearer

CANARY = "Zqxcanary7"
Path = tuple[str | int, ...]


def _places(node: Any, path: Path = ()) -> Iterator[tuple[Path, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _places(value, (*path, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            yield from _places(value, (*path, n))


def _at(root: Any, path: Path) -> Any:
    for step in path:
        root = root[step]
    return root


def mutants(base: dict) -> Iterator[Any]:
    for path, node in _places(base):
        if path:
            for swap in (CANARY, {CANARY: CANARY}, [CANARY], CANARY * 500, 10**40):
                mutant = copy.deepcopy(base)
                _at(mutant, path[:-1])[path[-1]] = swap
                yield mutant
            if isinstance(path[-1], str):
                mutant = copy.deepcopy(base)
                parent = _at(mutant, path[:-1])
                parent[CANARY] = parent.pop(path[-1])
                yield mutant
        if isinstance(node, dict):
            for key in (CANARY, CANARY * 10):
                mutant = copy.deepcopy(base)
                _at(mutant, path)[key] = CANARY
                yield mutant
    yield {CANARY: CANARY}
    yield [CANARY]
    yield CANARY


def assert_not_echoed(response) -> bool:
    """True when the response was an error (and so was checked)."""
    if response.status_code < 400:
        return False
    seen = " ".join(
        [
            str(response.status_code),
            response.reason_phrase,
            *(f"{k.decode()}: {v.decode()}" for k, v in response.headers.raw),
            response.text,
        ]
    )
    assert CANARY.lower() not in seen.lower(), (response.request.url, response.text)
    return True


@pytest.fixture
def customers(client, tokens) -> tuple[str, str]:
    ids = []
    for email in ("ada@example.com", "ada.l@example.com"):
        body = {
            "purpose": "service",
            "source": "phone",
            "fields": {"given_name": "Ada", "family_name": "Lovelace", "email": email},
        }
        response = client.post("/api/v1/customers", json=body, headers=bearer(tokens["agent"]))
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids[0], ids[1]


def bodies(survivor: str, duplicate: str) -> list[tuple[str, str, str, dict]]:
    """(role, method, path, a valid body) for every endpoint that takes a body."""
    return [
        (
            "agent",
            "POST",
            "/api/v1/customers",
            {
                "purpose": "service",
                "source": "phone",
                "fields": {"given_name": "Bo", "email": "bo@example.com"},
                "confirmed_with_customer": False,
                "explicit_consent": ["email"],
            },
        ),
        (
            "agent",
            "PATCH",
            f"/api/v1/customers/{survivor}",
            {"purpose": "service", "fields": {"town": "Leeds"}, "reason": "moved"},
        ),
        (
            "agent",
            "POST",
            f"/api/v1/customers/{survivor}/confirmations",
            {"fields": ["email"], "method": "phone", "purpose": "service"},
        ),
        ("agent", "POST", "/api/v1/customers/search", {"purpose": "service", "name": "Ada"}),
        (
            "supervisor",
            "POST",
            f"/api/v1/customers/{survivor}/merge",
            {
                "duplicate_id": duplicate,
                "reason": "the same person",
                "take_from_duplicate": ["email"],
                "purpose": "service",
                "preview_digest": "0" * 64,
            },
        ),
    ]


def test_no_body_error_echoes_a_key_or_value(client, tokens, customers) -> None:
    checked = 0
    for role, method, path, base in bodies(*customers):
        for mutant in mutants(base):
            response = client.request(method, path, json=mutant, headers=bearer(tokens[role]))
            checked += assert_not_echoed(response)
    assert checked > 100  # most mutants are errors: this is not a test of nothing


def test_no_error_echoes_broken_json_or_the_wrong_content_type(client, tokens) -> None:
    headers = bearer(tokens["agent"])
    for content, kind in (
        (b'{"purpose": "' + CANARY.encode(), "application/json"),
        (b'{"' + CANARY.encode() + b'": }', "application/json"),
        (f"purpose={CANARY}&{CANARY}=1".encode(), "application/x-www-form-urlencoded"),
        (CANARY.encode(), "text/plain"),
    ):
        for path in ("/api/v1/customers", "/api/v1/customers/search"):
            response = client.post(path, content=content, headers={**headers, "Content-Type": kind})
            assert assert_not_echoed(response)


def test_no_error_echoes_a_query_string_or_path(client, tokens, customers) -> None:
    survivor, _ = customers
    cases = [
        ("agent", f"/api/v1/customers/{survivor}", {"purpose": "service"}),
        ("agent", f"/api/v1/customers/{survivor}/history", {"purpose": "service"}),
        ("dpo", "/api/v1/audit", {"cursor": "", "limit": "10", "customer_id": survivor}),
        ("dpo", "/api/v1/audit", {"action": "customer.read"}),
        ("supervisor", "/api/v1/review-queue", {}),
        ("agent", "/api/v1/me", {}),
    ]
    checked = 0
    for role, path, base in cases:
        variants = [{**base, CANARY: CANARY}, {**base, CANARY: ""}]
        variants += [{**base, name: value} for name in base for value in (CANARY, CANARY * 300)]
        for params in variants:
            response = client.get(path, params=params, headers=bearer(tokens[role]))
            checked += assert_not_echoed(response)
        elsewhere = path.replace(survivor, CANARY) if survivor in path else f"{path}/{CANARY}"
        checked += assert_not_echoed(
            client.get(elsewhere, params=base, headers=bearer(tokens[role]))
        )
    assert checked > 10


@pytest.mark.parametrize(
    "authorization",
    [
        f"Bearer {CANARY}",
        f"Bearer ck_{CANARY}",
        f"{CANARY} ck_{CANARY}",
        CANARY,
        f"Bearer {CANARY * 50}",
    ],
)
def test_no_error_echoes_a_token(client, authorization) -> None:
    for path in ("/api/v1/me", "/api/v1/audit", "/api/v1/customers/search"):
        response = client.get(path, headers={"Authorization": authorization})
        assert assert_not_echoed(response)
