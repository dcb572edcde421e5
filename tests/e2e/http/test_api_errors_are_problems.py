"""Every API error is RFC 9457 problem+json, naming the field at fault, with no trace."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import bearer


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == status
    assert "Traceback" not in response.text
    return body


def test_no_token_is_401_with_a_challenge(client) -> None:
    response = client.get("/api/v1/me")
    assert_problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer ck_wrong", "Bearer nonsense", "Basic abc"])
def test_a_bad_token_is_401(client, header: str) -> None:
    assert_problem(client.get("/api/v1/me", headers={"Authorization": header}), 401)


def test_a_role_without_the_capability_gets_403(client, tokens) -> None:
    body = assert_problem(client.get("/api/v1/audit", headers=bearer(tokens["agent"])), 403)
    assert "audit" in body["detail"]


def test_an_unknown_path_is_a_404_problem(client) -> None:
    assert_problem(client.get("/api/v1/nothing-here"), 404)


def test_invalid_query_values_name_the_field_and_do_not_echo_the_value(client, tokens) -> None:
    response = client.get("/api/v1/audit?limit=seventeen-thousand", headers=bearer(tokens["dpo"]))
    body = assert_problem(response, 422)
    assert body["errors"][0]["field"] == "limit"
    assert "seventeen-thousand" not in response.text


def test_an_undeclared_key_is_named_by_a_placeholder_never_echoed(client, tokens) -> None:
    body = {"purpose": "service", "name": "Ada", "Lovelace": "Ada"}
    response = client.post("/api/v1/customers/search", json=body, headers=bearer(tokens["agent"]))
    body = assert_problem(response, 422)
    assert body["errors"] == [{"field": "*", "message": "Extra inputs are not permitted"}]
    assert "Lovelace" not in response.text


def test_declared_field_names_are_still_named(client, tokens) -> None:
    body = {"purpose": "service", "source": "phone", "fields": {"email": 42}}
    response = client.post("/api/v1/customers", json=body, headers=bearer(tokens["agent"]))
    assert assert_problem(response, 422)["errors"][0]["field"] == "fields.email"


def test_a_domain_error_quoting_a_name_is_answered_without_it(container) -> None:
    from fastapi.testclient import TestClient

    from clientkeep.adapters.http.app import create_app
    from clientkeep.policy.errors import UnknownPurpose

    app = create_app(container)

    # Whatever path reaches the policy with the client's text, its quote is not sent back.
    def look_up(purpose: str) -> None:
        container.policy.purpose(purpose)

    app.add_api_route("/api/v1/look-up", look_up)
    with TestClient(app) as c:
        response = c.get("/api/v1/look-up", params={"purpose": "Ada Lovelace"})
    body = assert_problem(response, 400)
    assert body["detail"] == "The policy has no purpose of that name."
    assert "Ada" not in response.text
    assert UnknownPurpose("Ada Lovelace").message != body["detail"]


def test_a_forged_cursor_names_the_cursor(client, tokens) -> None:
    body = assert_problem(
        client.get("/api/v1/audit?cursor=bm9wZQ", headers=bearer(tokens["dpo"])), 422
    )
    assert body["errors"] == [
        {"field": "cursor", "message": "The cursor is not one this server issued."}
    ]


def test_an_unexpected_failure_is_a_500_problem_without_details(container, tokens) -> None:
    from fastapi.testclient import TestClient

    from clientkeep.adapters.http.app import create_app

    app = create_app(container)

    @app.get("/api/v1/explode")
    def explode() -> None:
        raise RuntimeError("secret customer value jane@example.com")

    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/api/v1/explode")
    body = assert_problem(response, 500)
    assert "jane@example.com" not in response.text
    assert body["title"] == "Internal error"


SECURITY_HEADERS = (
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "content-security-policy",
    "permissions-policy",
)


def exploding_app(container):
    from clientkeep.adapters.http.app import create_app

    app = create_app(container)

    def explode() -> None:
        raise RuntimeError("secret customer value jane@example.com")

    app.add_api_route("/api/v1/explode", explode)
    app.add_api_route("/explode", explode, include_in_schema=False)
    return app


@pytest.mark.parametrize("path", ["/api/v1/explode", "/explode"], ids=["api", "web-page"])
def test_an_unexpected_failure_still_carries_every_security_header(container, path) -> None:
    from fastapi.testclient import TestClient

    with TestClient(exploding_app(container), raise_server_exceptions=False) as c:
        response = c.get(path)
    assert response.status_code == 500
    for name in SECURITY_HEADERS:
        assert name in response.headers, name
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-request-id"].startswith("req_")
    assert "jane@example.com" not in response.text
    assert "Traceback" not in response.text


def test_an_unexpected_api_failure_names_its_request_id_in_header_and_body(container) -> None:
    from fastapi.testclient import TestClient

    with TestClient(exploding_app(container), raise_server_exceptions=False) as c:
        response = c.get("/api/v1/explode")
    body = assert_problem(response, 500)
    assert body["request_id"] == response.headers["x-request-id"]


def test_an_unexpected_failure_is_handled_and_never_logged_with_its_message(
    container, caplog
) -> None:
    from fastapi.testclient import TestClient

    # The server would log an exception that escaped the app, trace and message (which may
    # hold personal data) included; the app answers it itself and logs only its type.
    with TestClient(exploding_app(container)) as c, caplog.at_level("DEBUG"):
        response = c.get("/api/v1/explode")
    assert response.status_code == 500
    assert "RuntimeError" in caplog.text
    assert "jane@example.com" not in caplog.text
