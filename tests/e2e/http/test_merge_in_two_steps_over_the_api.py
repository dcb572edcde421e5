"""Merging over REST in two steps: the preview answers with the merged record as it would
read and a digest; the merge takes the digest and merges exactly that, or answers 409 when a
record changed since, and 422 without one."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import bearer

RHYS = {
    "given_name": "Rhys",
    "family_name": "Jones",
    "email": "Rhys.Jones@Example.COM",
    "phone": "020 7946 0018",
    "postcode": "sw1a1aa",
}
REES = {
    "given_name": "Rees",
    "family_name": "Jones",
    "preferred_name": "Bob",
    "email": "rhys.jones@example.com",
    "phone": "07700 123456",
    "postcode": "SW1A 1AA",
}


@pytest.fixture
def pair(client, tokens):
    ids = []
    for fields in (RHYS, REES):
        made = client.post(
            "/api/v1/customers",
            json={"purpose": "service", "fields": fields, "source": "phone"},
            headers=bearer(tokens["agent"]),
        )
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    return ids


def preview(client, token, survivor, duplicate, **choices):
    return client.post(
        f"/api/v1/customers/{survivor}/merge/preview",
        json={"duplicate_id": duplicate, **choices},
        headers=bearer(token),
    )


def merge(client, token, survivor, duplicate, digest, **choices):
    body = {"duplicate_id": duplicate, "reason": "same person", **choices}
    if digest is not None:
        body["preview_digest"] = digest
    return client.post(f"/api/v1/customers/{survivor}/merge", json=body, headers=bearer(token))


def test_the_preview_shows_the_merged_record_and_the_other_records_fate(
    client, tokens, pair
) -> None:
    rhys, rees = pair
    answer = preview(client, tokens["supervisor"], rhys, rees, name_from_duplicate=True)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    fields = {f["name"]: f for f in body["fields"]}
    assert (fields["email"]["choice"], fields["email"]["source"]) == (False, "both")
    assert fields["phone"]["choice"] and fields["phone"]["result"] == "020 7946 0018"
    assert body["name"] == {
        "survivor": "Rhys Jones",
        "duplicate": "Rees Jones, known as Bob",
        "choice": True,
        "from_duplicate": True,
    }
    assert body["display_name"] == "Bob Jones"
    assert body["other_record"]["id"] == rees and body["other_record"]["points_to"] == rhys
    assert body["other_record"]["key_destroyed"] is True
    assert len(body["preview_digest"]) == 64


def test_the_merge_with_the_digest_makes_what_was_previewed(client, tokens, pair) -> None:
    rhys, rees = pair
    shown = preview(client, tokens["supervisor"], rhys, rees, take_from_duplicate=["phone"]).json()
    merged = merge(
        client,
        tokens["supervisor"],
        rhys,
        rees,
        shown["preview_digest"],
        take_from_duplicate=["phone"],
    )
    assert merged.status_code == 200, merged.text
    details = merged.json()["field_details"]
    assert {n: d["display"] for n, d in details.items()} == {
        f["name"]: f["result"] for f in shown["fields"] if f["result"] is not None
    }
    gone = client.get(
        f"/api/v1/customers/{rees}", params={"purpose": "service"}, headers=bearer(tokens["agent"])
    )
    assert gone.status_code == 404 and rhys in gone.json()["detail"]


def test_a_record_changed_since_the_preview_is_refused_with_409(client, tokens, pair) -> None:
    rhys, rees = pair
    digest = preview(client, tokens["supervisor"], rhys, rees).json()["preview_digest"]
    changed = client.patch(
        f"/api/v1/customers/{rees}",
        json={"purpose": "service", "fields": {"town": "Leeds"}, "reason": "moved"}
        | {"source": "internal_records"},
        headers=bearer(tokens["agent"]),
    )
    assert changed.status_code == 200, changed.text
    refused = merge(client, tokens["supervisor"], rhys, rees, digest)
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["type"].endswith("merge-preview-outdated")
    again = client.get(
        f"/api/v1/customers/{rees}", params={"purpose": "service"}, headers=bearer(tokens["agent"])
    )
    assert again.status_code == 200  # nothing was merged


def test_a_merge_without_a_digest_is_refused_naming_the_field(client, tokens, pair) -> None:
    rhys, rees = pair
    refused = merge(client, tokens["supervisor"], rhys, rees, None)
    assert refused.status_code == 422
    assert "preview_digest" in refused.text


def test_one_part_of_a_name_cannot_be_taken_alone(client, tokens, pair) -> None:
    rhys, rees = pair
    refused = preview(client, tokens["supervisor"], rhys, rees, take_from_duplicate=["given_name"])
    assert refused.status_code == 422
    assert "take_from_duplicate.given_name" in refused.text
    assert "Rees" not in refused.text


def test_an_agent_may_not_preview_a_merge(client, tokens, pair) -> None:
    rhys, rees = pair
    assert preview(client, tokens["agent"], rhys, rees).status_code == 403
