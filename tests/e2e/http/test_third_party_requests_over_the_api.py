"""Over the REST API a third party's request is recorded pending, decided by another member
holding disclosures.approve, and answered by one disclosure of approved fields: never on a
pending or refused request, never twice, never beyond the approval or for another customer;
the log names the request, its basis and who approved it; no value told reaches the trail."""

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
}
GRACE = {"given_name": "Grace", "family_name": "Hopper", "email": "grace@example.net"}
ASK = {
    "requester": "DC Sam Example",
    "organisation": "Example Constabulary",
    "identity_check": "called back on the force's switchboard",
    "basis": "crime_and_taxation",
    "reference": "CR/2026/0042",
    "reason": "an inquiry into a fraud reported by the customer",
}


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


def record(client, token, customer_id, fields, **extra):
    return client.post(
        "/api/v1/third-party-requests",
        json={"customer_id": customer_id, **ASK, "fields": fields, **extra},
        headers=bearer(token),
    )


def recorded(client, token, customer_id, fields) -> str:
    done = record(client, token, customer_id, fields)
    assert done.status_code == 201, done.text
    return done.json()["id"]


def decide(client, token, request_id, decision, fields=None, reason="checked with the force"):
    body = {"decision": decision, "reason": reason}
    if fields is not None:
        body["fields"] = fields
    return client.post(
        f"/api/v1/third-party-requests/{request_id}/decision", json=body, headers=bearer(token)
    )


def disclose(client, token, customer_id, request_id, fields):
    return client.post(
        f"/api/v1/customers/{customer_id}/disclosures",
        json={
            "request_id": request_id,
            "fields": fields,
            "channel": "email",
            "recipient": "DC Sam Example",
        },
        headers=bearer(token),
    )


def test_an_approved_request_is_answered_once_with_the_approved_fields(
    client, tokens, ada, container
) -> None:
    made = record(client, tokens["agent"], ada, ["email", "phone"])
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["id"].startswith("tpr_") and body["status"] == "pending"
    assert body["details"]["reference"] == "CR/2026/0042"
    assert body["basis_law"] == "DPA 2018 Sch 2 Part 1 para 2"
    request_id = body["id"]

    refused_early = disclose(client, tokens["agent"], ada, request_id, ["email"])
    assert refused_early.status_code == 403
    assert "example.com" not in refused_early.text

    approved = decide(client, tokens["supervisor"], request_id, "approve", ["email"])
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"
    assert approved.json()["approved_fields"] == ["email"]
    assert approved.json()["decision_reason"] == "checked with the force"

    beyond = disclose(client, tokens["agent"], ada, request_id, ["email", "phone"])
    assert beyond.status_code == 403 and "7946" not in beyond.text

    done = disclose(client, tokens["agent"], ada, request_id, ["email"])
    assert done.status_code == 200, done.text
    assert done.json()["values"] == {"email": "ada@example.com"}
    disclosure_id = done.json()["disclosure_id"]

    again = disclose(client, tokens["agent"], ada, request_id, ["email"])
    assert again.status_code == 403 and "example.com" not in again.text

    after = client.get(f"/api/v1/third-party-requests/{request_id}", headers=bearer(tokens["dpo"]))
    assert after.json()["status"] == "disclosed"
    assert after.json()["disclosure_id"] == disclosure_id

    log = client.get(f"/api/v1/customers/{ada}/disclosures", headers=bearer(tokens["agent"]))
    [entry] = log.json()["items"]
    assert entry["request_id"] == request_id and entry["verification_id"] is None
    assert entry["basis"] == (
        f"third-party request {request_id} (Prevention or detection of crime, or tax "
        "collection), approved by supervisor.one (supervisor)"
    )
    events = audit_events(container, "customer.disclosed", ada)
    assert [e.entry.outcome for e in events] == ["denied", "denied", "success", "denied"]
    assert events[2].entry.detail["request_id"] == request_id
    trail = " ".join(repr(e.entry) + e.body.decode() for e in audit_events(container, None))
    for value in ("ada@example.com", "7946", "DC Sam", "CR/2026", "switchboard"):
        assert value not in trail


def test_a_refused_request_discloses_nothing(client, tokens, ada) -> None:
    request_id = recorded(client, tokens["agent"], ada, ["email"])
    refused = decide(client, tokens["dpo"], request_id, "refuse", reason="no crime number given")
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert refused.json()["approved_fields"] is None
    answer = disclose(client, tokens["agent"], ada, request_id, ["email"])
    assert answer.status_code == 403 and "example.com" not in answer.text
    again = decide(client, tokens["supervisor"], request_id, "approve")
    assert again.status_code == 409


def test_four_eyes_and_the_capability_guard_the_decision(client, tokens, ada, container) -> None:
    request_id = recorded(client, tokens["supervisor"], ada, ["email"])
    own = decide(client, tokens["supervisor"], request_id, "approve")
    assert own.status_code == 403
    [denied] = audit_events(container, "third_party_request.decided", ada)
    assert denied.entry.outcome == "denied" and denied.entry.detail["refused"] == "four_eyes"
    agent = decide(client, tokens["agent"], request_id, "approve")
    assert agent.status_code == 403
    no_reason = decide(client, tokens["dpo"], request_id, "approve", reason="  ")
    assert no_reason.status_code == 422
    assert [e["field"] for e in no_reason.json()["errors"]] == ["reason"]
    not_asked = decide(client, tokens["dpo"], request_id, "approve", ["phone"])
    assert not_asked.status_code == 422
    assert not_asked.json()["errors"][0]["field"] == "fields.0"
    ok = decide(client, tokens["dpo"], request_id, "approve")
    assert ok.status_code == 200 and ok.json()["approved_fields"] == ["email"]
    assert ok.json()["decided_by_name"] == "dpo.one (dpo)"


def test_another_customers_request_is_refused(client, tokens, ada) -> None:
    grace = register(client, tokens["agent"], GRACE)
    request_id = recorded(client, tokens["agent"], grace, ["email"])
    assert decide(client, tokens["supervisor"], request_id, "approve").status_code == 200
    answer = disclose(client, tokens["agent"], ada, request_id, ["email"])
    assert answer.status_code == 403
    assert "grace" not in answer.text.lower() and "ada@" not in answer.text
    # Still there for its own customer.
    assert disclose(client, tokens["agent"], grace, request_id, ["email"]).status_code == 200


def test_bad_input_is_a_problem_naming_the_field(client, tokens, ada) -> None:
    hidden = record(client, tokens["agent"], ada, ["email", "accessibility_needs"])
    assert hidden.status_code == 422
    assert [e["field"] for e in hidden.json()["errors"]] == ["fields.1"]
    blank = record(client, tokens["agent"], ada, ["email"], requester=" ")
    assert blank.status_code == 422 and blank.json()["errors"][0]["field"] == "requester"
    basis = record(client, tokens["agent"], ada, ["email"], basis="because")
    assert basis.status_code == 422
    assert basis.json()["errors"][0]["field"] == "basis"
    assert "because" not in basis.text
    both = client.post(
        f"/api/v1/customers/{ada}/disclosures",
        json={"fields": ["email"], "channel": "phone", "recipient": "x"},
        headers=bearer(tokens["agent"]),
    )
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "verification_id"
    two = client.post(
        f"/api/v1/customers/{ada}/disclosures",
        json={
            "verification_id": "ver_x",
            "request_id": "tpr_x",
            "fields": ["email"],
            "channel": "phone",
            "recipient": "x",
        },
        headers=bearer(tokens["agent"]),
    )
    assert two.status_code == 422 and two.json()["errors"][0]["field"] == "request_id"


def test_the_queue_is_for_deciders_oldest_first_a_page_at_a_time(
    client, tokens, ada, container
) -> None:
    grace = register(client, tokens["agent"], GRACE)
    first = recorded(client, tokens["agent"], ada, ["email"])
    container.clock.advance(timedelta(seconds=60))
    second = recorded(client, tokens["agent"], grace, ["email"])
    assert (
        client.get("/api/v1/third-party-requests", headers=bearer(tokens["agent"])).status_code
        == 403
    )

    page = client.get(
        "/api/v1/third-party-requests?status=pending&limit=1", headers=bearer(tokens["supervisor"])
    )
    assert page.status_code == 200, page.text
    [item] = page.json()["items"]
    assert item["id"] == first and item["customer_name"] == "Ada Lovelace"
    assert item["details"] is None
    cursor = page.json()["next_cursor"]
    assert cursor
    rest = client.get(
        f"/api/v1/third-party-requests?limit=1&cursor={cursor}",
        headers=bearer(tokens["supervisor"]),
    )
    assert [i["id"] for i in rest.json()["items"]] == [second]
    assert rest.json()["next_cursor"] is None
    [event] = [
        e
        for e in audit_events(container, "third_party_requests.listed")
        if e.entry.outcome == "success"
    ][:1]
    assert event.entry.customer_id == ada
    bad = client.get(
        "/api/v1/third-party-requests?cursor=nonsense", headers=bearer(tokens["supervisor"])
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "cursor"

    mine = client.get(
        f"/api/v1/customers/{ada}/third-party-requests", headers=bearer(tokens["agent"])
    )
    assert [i["id"] for i in mine.json()["items"]] == [first]
    assert mine.json()["items"][0]["details"]["requester"] == "DC Sam Example"
    [read] = audit_events(container, "customer.third_party_requests_read", ada)
    assert read.entry.fields == ("email",)
