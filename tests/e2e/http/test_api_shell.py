"""The API shell: health, who am I, OpenAPI, and the headers every answer carries."""

from __future__ import annotations

from tests.e2e.conftest import bearer


def test_health_says_ok_without_authentication(client) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_me_names_the_token_holder_and_their_role(client, tokens, personas) -> None:
    response = client.get("/api/v1/me", headers=bearer(tokens["agent"]))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == personas.agent.actor.id
    assert body["username"] == "agent.one"
    assert body["role"] == "agent"
    assert body["may_see_special_category"] is False
    assert "service" in body["purposes"]


def test_admin_has_no_purposes_but_manages_staff(client, tokens) -> None:
    body = client.get("/api/v1/me", headers=bearer(tokens["admin"])).json()
    assert body["purposes"] == []
    assert "staff.manage" in body["capabilities"]


def test_openapi_describes_the_api(client) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "clientkeep"
    assert {"/api/v1/health", "/api/v1/me", "/api/v1/audit"} <= set(spec["paths"])
    assert client.get("/docs").status_code == 200


def test_every_answer_is_uncacheable_and_carries_a_request_id(client, tokens) -> None:
    for response in (
        client.get("/api/v1/health"),
        client.get("/api/v1/me", headers=bearer(tokens["agent"])),
        client.get("/api/v1/me"),
    ):
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-request-id"].startswith("req_")
        assert response.headers["x-content-type-options"] == "nosniff"
