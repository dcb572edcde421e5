"""Over the REST API a change the caller asks for (on_behalf_of_customer) is made only on a
verification of that caller, by the same member, about the same customer, still valid: without
one it is a 403 not-verified problem, nothing is written and the refusal is in the trail. An
internal correction says where it came from and may not claim a caller channel."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.conftest import bearer
from tests.integration.record_kinds._storage import audit_events

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada@example.com",
    "phone": "020 7946 0018",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1979-03-14",
    "address_line1": "12 Example Street",
    "town": "London",
}
GRACE = {"given_name": "Grace", "family_name": "Hopper", "email": "grace@example.net"}
RIGHT = {"date_of_birth": "14 March 1979", "postcode": "sw1a1aa"}


def register(client, token, fields) -> str:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "service", "fields": fields, "source": "phone"},
        headers=bearer(token),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


@pytest.fixture
def ada(client, tokens) -> str:
    return register(client, tokens["agent"], ADA)


def verified(client, token, customer_id) -> str:
    done = client.post(
        f"/api/v1/customers/{customer_id}/verifications",
        json={"method": "knowledge", "answers": RIGHT},
        headers=bearer(token),
    )
    assert done.json()["verified"] is True, done.text
    return done.json()["verification_id"]


def patch(client, token, customer_id, **body):
    return client.patch(
        f"/api/v1/customers/{customer_id}",
        json={"purpose": "service", "fields": {"town": "Leeds"}, "reason": "moved"} | body,
        headers=bearer(token),
    )


def town_of(client, token, customer_id) -> str:
    read = client.get(
        f"/api/v1/customers/{customer_id}", params={"purpose": "service"}, headers=bearer(token)
    )
    return read.json()["fields"]["town"]


def changes_of(container, customer_id) -> list:
    with container.uow().reading() as uow:
        return uow.history.for_customer(customer_id)


def test_a_verified_callers_change_is_made_and_its_event_names_the_verification(
    client, tokens, ada, container
) -> None:
    ver = verified(client, tokens["agent"], ada)
    done = patch(client, tokens["agent"], ada, on_behalf_of_customer=True, verification_id=ver)
    assert done.status_code == 200, done.text
    assert done.json()["fields"]["town"] == "Leeds"
    assert done.json()["field_details"]["town"]["source"] == "phone"
    [event] = audit_events(container, "customer.updated", ada)
    assert event.entry.detail["verification_id"] == ver
    assert event.entry.detail["source"] == "phone"
    [change] = [c for c in changes_of(container, ada) if c.kind == "rectified"]
    assert (change.field, change.old_value, change.new_value, change.reason) == (
        "town",
        "London",
        "Leeds",
        "moved",
    )


def assert_not_verified(response) -> dict:
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith("/not-verified")
    return body


def test_without_a_verification_it_is_403_and_nothing_is_written(
    client, tokens, ada, container
) -> None:
    before = changes_of(container, ada)
    for extra in ({}, {"verification_id": "ver_unknown"}):
        refused = patch(client, tokens["agent"], ada, on_behalf_of_customer=True, **extra)
        body = assert_not_verified(refused)
        assert "ver_unknown" not in str(body)
    assert town_of(client, tokens["agent"], ada) == "London"
    assert changes_of(container, ada) == before
    denied = [e.entry for e in audit_events(container, "customer.updated", ada)]
    assert [e.outcome for e in denied] == ["denied", "denied"]
    assert all(e.detail == {"refused": "not_verified"} for e in denied)


def test_another_customers_another_members_or_an_expired_verification_is_refused(
    client, tokens, ada, container
) -> None:
    grace = register(client, tokens["agent"], GRACE)
    ver = verified(client, tokens["agent"], ada)
    grace_before = changes_of(container, grace)
    assert_not_verified(
        patch(
            client,
            tokens["agent"],
            grace,
            fields={"email": "g.hopper@example.net"},
            on_behalf_of_customer=True,
            verification_id=ver,
        )
    )
    assert_not_verified(
        patch(client, tokens["supervisor"], ada, on_behalf_of_customer=True, verification_id=ver)
    )
    container.clock.advance(timedelta(minutes=15))
    assert_not_verified(
        patch(client, tokens["agent"], ada, on_behalf_of_customer=True, verification_id=ver)
    )
    assert town_of(client, tokens["agent"], ada) == "London"
    assert changes_of(container, grace) == grace_before
    for who, refusals in ((ada, 2), (grace, 1)):
        events = audit_events(container, "customer.updated", who)
        assert [e.entry.outcome for e in events] == ["denied"] * refusals


@pytest.mark.parametrize("source", ["phone", "in_person", "web"])
def test_an_internal_correction_from_a_caller_channel_is_422_on_source(
    client, tokens, ada, container, source
) -> None:
    refused = patch(client, tokens["agent"], ada, source=source)
    assert refused.status_code == 422
    [error] = refused.json()["errors"]
    assert error["field"] == "source"
    assert "on_behalf_of_customer and a verification" in error["message"]
    assert town_of(client, tokens["agent"], ada) == "London"
    assert audit_events(container, "customer.updated", ada) == []


def test_an_internal_correction_without_a_source_is_422_and_one_with_it_is_made(
    client, tokens, ada, container
) -> None:
    missing = patch(client, tokens["agent"], ada)
    assert missing.status_code == 422
    [error] = missing.json()["errors"]
    assert error["field"] == "source" and error["message"].startswith("Say where the correction")
    done = patch(client, tokens["agent"], ada, source="returned_post")
    assert done.status_code == 200, done.text
    assert done.json()["field_details"]["town"]["source"] == "returned_post"
    [event] = audit_events(container, "customer.updated", ada)
    assert event.entry.detail == {"unchanged": 0, "source": "returned_post"}


def test_a_verification_without_on_behalf_of_customer_is_422_and_nothing_is_written(
    client, tokens, ada, container
) -> None:
    ver = verified(client, tokens["agent"], ada)
    refused = patch(client, tokens["agent"], ada, source="internal_records", verification_id=ver)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["verification_id"]
    assert town_of(client, tokens["agent"], ada) == "London"


def test_the_schema_says_what_each_kind_of_change_needs(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    body = schema["components"]["schemas"]["CustomerUpdate"]["properties"]
    assert "verification_id" in body["on_behalf_of_customer"]["description"]
    assert "returned_post" in body["source"]["description"]
    assert "internal_records" in body["source"]["description"]
    operation = schema["paths"]["/api/v1/customers/{customer_id}"]["patch"]
    assert "403" in operation["responses"]
    assert "internal correction" in operation["description"]
