"""GET /api/v1/audit: the data protection lead pages through the trail; reads are audited."""

from __future__ import annotations

from clientkeep.audit.model import AuditEntry
from tests.e2e.conftest import bearer


def test_the_dpo_pages_through_every_event_once_oldest_first(client, tokens, container) -> None:
    seen: list[int] = []
    cursor = None
    while True:
        params = {"limit": 3, "order": "oldest", **({"cursor": cursor} if cursor else {})}
        body = client.get("/api/v1/audit", params=params, headers=bearer(tokens["dpo"])).json()
        seen.extend(item["seq"] for item in body["items"])
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(set(seen))
    assert seen[0] == 1
    with container.uow() as uow:
        assert uow.audit.head().seq >= seen[-1]


def test_events_name_fields_never_values_and_carry_their_hashes(client, tokens) -> None:
    item = client.get("/api/v1/audit", headers=bearer(tokens["dpo"])).json()["items"][0]
    assert set(item) >= {
        "seq",
        "occurred_at",
        "actor_id",
        "actor_role",
        "action",
        "outcome",
        "customer_id",
        "fields",
        "purpose",
        "request_id",
        "credential",
        "via",
        "hash",
        "prev_hash",
    }
    assert item["occurred_at"].endswith(("Z", "+00:00"))


def test_filtering_by_action(client, tokens) -> None:
    body = client.get(
        "/api/v1/audit",
        params={"action": "staff.created", "limit": 50},
        headers=bearer(tokens["dpo"]),
    ).json()
    assert body["items"] and {i["action"] for i in body["items"]} == {"staff.created"}


def test_reading_the_trail_is_itself_audited_with_the_request_id(client, tokens) -> None:
    response = client.get("/api/v1/audit", headers=bearer(tokens["dpo"]))
    request_id = response.headers["x-request-id"]
    body = client.get(
        "/api/v1/audit",
        params={"action": "audit.read", "limit": 500},
        headers=bearer(tokens["dpo"]),
    ).json()
    assert request_id in {i["request_id"] for i in body["items"]}


def test_each_event_says_how_its_actor_acted(client, tokens, container) -> None:
    with container.uow() as uow:
        uow.audit.append(
            AuditEntry(
                action="test.from_cli",
                actor_id="cli:alice",
                actor_role="system",
                credential="cli:alice",
            )
        )
        uow.commit()
    items = client.get(
        "/api/v1/audit", params={"limit": 500, "order": "oldest"}, headers=bearer(tokens["dpo"])
    ).json()["items"]
    via = {item["action"]: item["via"] for item in items}
    assert via["test.from_cli"] == {"channel": "cli", "os_user": "alice"}
    assert via["token.used"] == {"channel": "api", "os_user": None}
    first = items[0]  # set up by `clientkeep init`, as the system
    assert first["via"] == {"channel": "system", "os_user": None}
