"""Customer records through the REST API: normalised, minimal, by purpose, audited."""

from __future__ import annotations

import pytest

from clientkeep.audit.ports import TrailFilter
from tests.e2e.conftest import bearer

ADA = {
    "given_name": "  Ada  ",
    "family_name": "Lovelace",
    "email": "Ada@EXAMPLE.com",
    "phone": "020 7946 0018",
    "address_line1": "12 Example Street",
    "town": "London",
    "postcode": "sw1a1aa",
    "date_of_birth": "1985-12-10",
}


def create(client, token, fields=None, *, purpose="service", headers=None, **extra):
    body = {"purpose": purpose, "fields": fields or ADA, "source": "phone", **extra}
    return client.post("/api/v1/customers", json=body, headers={**bearer(token), **(headers or {})})


def test_registering_returns_201_with_normalised_values(client, tokens) -> None:
    response = create(client, tokens["agent"])
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["id"].startswith("cus_")
    assert body["fields"]["given_name"] == "Ada"
    assert body["fields"]["postcode"] == "SW1A 1AA"
    assert body["fields"]["phone"] == "+442079460018"
    assert body["field_details"]["phone"]["display"] == "020 7946 0018"
    assert body["fields"]["email"] == "Ada@example.com"
    assert body["possible_duplicates"] == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("email", "ada-at-example"),
        ("phone", "12"),
        ("postcode", "XX99 ZZZ"),
        ("date_of_birth", "2090-01-01"),
        ("preferred_contact", "telegram"),
    ],
)
def test_bad_values_are_422_naming_the_field_without_echoing(client, tokens, field, value) -> None:
    response = create(client, tokens["agent"], {**ADA, field: value})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert f"fields.{field}" in {e["field"] for e in response.json()["errors"]}
    assert value not in response.text


def test_a_field_the_purpose_does_not_use_is_refused(client, tokens) -> None:
    response = create(client, tokens["agent"], {**ADA, "phone": "020 7946 0018"}, purpose="billing")
    assert response.status_code == 422
    assert any("data minimisation" in e["message"] for e in response.json()["errors"])


def test_non_string_values_are_refused_naming_the_field(client, tokens) -> None:
    response = create(client, tokens["agent"], {**ADA, "phone": 2079460018})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"].startswith("fields.phone")


def test_special_category_needs_the_role_and_explicit_consent(client, tokens) -> None:
    with_needs = {**ADA, "accessibility_needs": "Large print letters"}
    assert create(client, tokens["agent"], with_needs).status_code == 403
    assert create(client, tokens["supervisor"], with_needs).status_code == 422
    made = create(
        client, tokens["supervisor"], with_needs, explicit_consent=["accessibility_needs"]
    )
    assert made.status_code == 201
    cid = made.json()["id"]
    seen_by_agent = client.get(
        f"/api/v1/customers/{cid}", params={"purpose": "service"}, headers=bearer(tokens["agent"])
    ).json()
    assert "accessibility_needs" not in seen_by_agent["fields"]


def test_reading_needs_a_purpose_and_returns_only_its_fields(client, tokens) -> None:
    cid = create(client, tokens["agent"]).json()["id"]
    missing = client.get(f"/api/v1/customers/{cid}", headers=bearer(tokens["agent"]))
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "purpose"
    billing = client.get(
        f"/api/v1/customers/{cid}", params={"purpose": "billing"}, headers=bearer(tokens["agent"])
    )
    assert billing.status_code == 200
    assert "phone" not in billing.json()["fields"]
    unknown = client.get(
        "/api/v1/customers/cus_" + "a" * 24,
        params={"purpose": "service"},
        headers=bearer(tokens["agent"]),
    )
    assert unknown.status_code == 404


def test_an_admin_gets_no_customer_data_anywhere(client, tokens) -> None:
    cid = create(client, tokens["agent"]).json()["id"]
    admin = bearer(tokens["admin"])
    assert create(client, tokens["admin"]).status_code == 403
    assert (
        client.get(
            f"/api/v1/customers/{cid}", params={"purpose": "service"}, headers=admin
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/customers/search",
            json={"purpose": "service", "email": "ada@example.com"},
            headers=admin,
        ).status_code
        == 403
    )


def test_the_same_idempotency_key_replays_and_a_different_body_conflicts(client, tokens) -> None:
    first = create(client, tokens["agent"], headers={"Idempotency-Key": "abc-1"})
    again = create(client, tokens["agent"], headers={"Idempotency-Key": "abc-1"})
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    other = create(
        client, tokens["agent"], {**ADA, "town": "Leeds"}, headers={"Idempotency-Key": "abc-1"}
    )
    assert other.status_code == 409
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"


@pytest.mark.parametrize(
    "criteria",
    [
        {"email": "ADA@example.com"},
        {"phone": "+44 20 7946 0018"},
        {"postcode": "SW1A1AA"},
        {"name": "Ada Lovelce"},
        {"query": "(020) 7946-0018"},
    ],
)
def test_search_finds_the_customer_and_returns_a_summary(client, tokens, criteria) -> None:
    cid = create(client, tokens["agent"]).json()["id"]
    response = client.post(
        "/api/v1/customers/search",
        json={"purpose": "service", **criteria},
        headers=bearer(tokens["agent"]),
    )
    assert response.status_code == 200, response.text
    item = response.json()["items"][0]
    assert item["id"] == cid
    assert set(item) == {
        "id",
        "display_name",
        "postcode_district",
        "reference",
        "birth_year",
        "reasons",
        "score",
    }
    assert item["birth_year"] == 1985 and item["reference"].startswith("CK-")
    assert item["postcode_district"] == "SW1A"


def test_search_needs_exactly_one_criterion(client, tokens) -> None:
    response = client.post(
        "/api/v1/customers/search",
        json={"purpose": "service", "email": "a@example.com", "phone": "020 7946 0018"},
        headers=bearer(tokens["agent"]),
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"email", "phone"}


def test_corrections_need_a_reason_and_show_in_the_history(client, tokens) -> None:
    cid = create(client, tokens["agent"]).json()["id"]
    agent = bearer(tokens["agent"])
    no_reason = client.patch(
        f"/api/v1/customers/{cid}",
        headers=agent,
        json={"purpose": "service", "fields": {"town": "Leeds"}, "reason": ""},
    )
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "reason"
    fixed = client.patch(
        f"/api/v1/customers/{cid}",
        headers=agent,
        json={"purpose": "service", "fields": {"town": "Leeds"}, "reason": "customer moved"}
        | {"source": "internal_records"},
    )
    assert fixed.status_code == 200 and fixed.json()["fields"]["town"] == "Leeds"
    items = client.get(
        f"/api/v1/customers/{cid}/history", params={"purpose": "service"}, headers=agent
    ).json()["items"]
    change = next(i for i in items if i["kind"] == "rectified")
    assert (change["field"], change["old_value"], change["new_value"], change["reason"]) == (
        "town",
        "London",
        "Leeds",
        "customer moved",
    )


def test_confirmations_mark_fields_confirmed(client, tokens) -> None:
    cid = create(client, tokens["agent"]).json()["id"]
    response = client.post(
        f"/api/v1/customers/{cid}/confirmations",
        json={"fields": ["email", "phone"], "method": "phone"},
        headers=bearer(tokens["agent"]),
    )
    assert response.status_code == 200
    assert response.json()["field_details"]["email"]["confirmed_method"] == "phone"


def test_a_supervisor_merges_duplicates_and_the_old_id_points_on(client, tokens) -> None:
    first = create(client, tokens["agent"]).json()["id"]
    second = create(client, tokens["agent"], {**ADA, "email": "lovelace@example.org"}).json()
    assert [d["id"] for d in second["possible_duplicates"]] == [first]
    queue = client.get("/api/v1/review-queue", headers=bearer(tokens["supervisor"])).json()
    assert queue["duplicates"][0]["other_id"] == first
    shown = client.post(
        f"/api/v1/customers/{first}/merge/preview",
        json={"duplicate_id": second["id"]},
        headers=bearer(tokens["supervisor"]),
    )
    assert shown.status_code == 200, shown.text
    body = {
        "duplicate_id": second["id"],
        "reason": "same person",
        "preview_digest": shown.json()["preview_digest"],
    }
    assert (
        client.post(
            f"/api/v1/customers/{first}/merge", json=body, headers=bearer(tokens["agent"])
        ).status_code
        == 403
    )
    merged = client.post(
        f"/api/v1/customers/{first}/merge", json=body, headers=bearer(tokens["supervisor"])
    )
    assert merged.status_code == 200
    gone = client.get(
        f"/api/v1/customers/{second['id']}",
        params={"purpose": "service"},
        headers=bearer(tokens["agent"]),
    )
    assert gone.status_code == 404 and first in gone.json()["detail"]
    assert (
        client.get("/api/v1/review-queue", headers=bearer(tokens["supervisor"])).json()[
            "duplicates"
        ]
        == []
    )


def test_the_agent_may_not_see_the_review_queue(client, tokens) -> None:
    assert client.get("/api/v1/review-queue", headers=bearer(tokens["agent"])).status_code == 403


def test_every_read_is_audited_with_the_fields_returned(client, tokens, container) -> None:
    cid = create(client, tokens["agent"]).json()["id"]
    body = client.get(
        f"/api/v1/customers/{cid}", params={"purpose": "billing"}, headers=bearer(tokens["agent"])
    ).json()
    with container.uow() as uow:
        event = uow.audit.page(TrailFilter(action="customer.read"), limit=500)[-1]
    assert event.entry.customer_id == cid
    assert set(event.entry.fields) == set(body["fields"])
