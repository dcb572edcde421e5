"""Over the REST API a verified caller is told the fields asked for, as the record shows
them; without a verification of theirs, or for a field the purpose does not show, nothing is
told; the log lists each disclosure with who made it, to whom and on what check."""

from __future__ import annotations

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
}
RIGHT = {"date_of_birth": "14 March 1979", "postcode": "sw1a1aa"}


@pytest.fixture
def ada(client, tokens) -> str:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "service", "fields": ADA, "source": "phone"},
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def verified(client, token, customer_id) -> str:
    done = client.post(
        f"/api/v1/customers/{customer_id}/verifications",
        json={"method": "knowledge", "answers": RIGHT},
        headers=bearer(token),
    )
    assert done.json()["verified"] is True, done.text
    return done.json()["verification_id"]


def disclose(client, token, customer_id, verification_id, fields, **extra):
    return client.post(
        f"/api/v1/customers/{customer_id}/disclosures",
        json={
            "verification_id": verification_id,
            "purpose": "service",
            "fields": fields,
            "channel": "phone",
            "recipient": "the caller",
            **extra,
        },
        headers=bearer(token),
    )


def test_a_verified_caller_is_told_the_fields_and_the_log_lists_it(
    client, tokens, ada, container
) -> None:
    ver = verified(client, tokens["agent"], ada)
    done = disclose(client, tokens["agent"], ada, ver, ["email", "phone"])
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["disclosure_id"].startswith("dis_")
    assert body["values"] == {"email": "ada@example.com", "phone": "020 7946 0018"}
    [event] = audit_events(container, "customer.disclosed", ada)
    assert event.entry.fields == ("email", "phone")
    assert "ada@example.com" not in repr(event)

    log = client.get(f"/api/v1/customers/{ada}/disclosures", headers=bearer(tokens["supervisor"]))
    assert log.status_code == 200, log.text
    [entry] = log.json()["items"]
    assert entry["id"] == body["disclosure_id"]
    assert (entry["recipient"], entry["fields"], entry["channel"]) == (
        "the caller",
        ["email", "phone"],
        "phone",
    )
    assert entry["verification_id"] == ver and entry["by_name"].endswith("(agent)")
    assert "ada@example.com" not in log.text
    assert audit_events(container, "customer.disclosures_read", ada)


def test_without_a_verification_of_yours_it_is_403_and_nothing_is_told(
    client, tokens, ada, container
) -> None:
    ver = verified(client, tokens["agent"], ada)
    for token, given in ((tokens["agent"], "ver_unknown"), (tokens["supervisor"], ver)):
        refused = disclose(client, token, ada, given, ["email"])
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "ada@example.com" not in refused.text
    denied = audit_events(container, "customer.disclosed", ada)
    assert [e.entry.outcome for e in denied] == ["denied", "denied"]
    log = client.get(f"/api/v1/customers/{ada}/disclosures", headers=bearer(tokens["agent"]))
    assert log.json()["items"] == []


def test_a_field_the_purpose_does_not_show_is_a_422_naming_it(client, tokens, ada) -> None:
    ver = verified(client, tokens["agent"], ada)
    refused = disclose(client, tokens["agent"], ada, ver, ["email", "accessibility_needs"])
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "fields.1"
    assert "ada@example.com" not in refused.text
    billing = disclose(client, tokens["agent"], ada, ver, ["phone"], purpose="billing")
    assert billing.status_code == 422
    assert billing.json()["errors"][0]["field"] == "fields.0"
    log = client.get(f"/api/v1/customers/{ada}/disclosures", headers=bearer(tokens["agent"]))
    assert log.json()["items"] == []
