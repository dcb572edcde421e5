"""Over the REST API staff record a customer's representative (pending), a supervisor other
than the recorder approves them, and the representative is verified with their own answers;
a disclosure to them is cut to their scope. Their answers never appear in any response or in
the audit trail (a canary postcode is looked for everywhere)."""

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
ADAS_ANSWERS = {"date_of_birth": "14 March 1979", "postcode": "sw1a1aa"}
CANARY = "YO31 7QZ"
THEIRS = {"date_of_birth": "1961-07-02", "postcode": CANARY}


@pytest.fixture
def ada(client, tokens) -> str:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "service", "fields": ADA, "source": "phone"},
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def record(client, token, customer_id, **overrides):
    body = {
        "name": "Byron Lovelace",
        "relationship": "son",
        "authority": "lasting_power_of_attorney",
        "reference": "7000-1234-5678",
        "evidence_seen": "the registered LPA, original",
        "scope": {"fields": ["email"], "actions": ["disclose"]},
        "answers": THEIRS,
    } | overrides
    return client.post(
        f"/api/v1/customers/{customer_id}/representatives", json=body, headers=bearer(token)
    )


def decide(client, token, customer_id, rep_id, decision, reason="LPA checked with the OPG"):
    return client.post(
        f"/api/v1/customers/{customer_id}/representatives/{rep_id}/decision",
        json={"decision": decision, "reason": reason},
        headers=bearer(token),
    )


def verify(client, token, customer_id, rep_id, answers):
    return client.post(
        f"/api/v1/customers/{customer_id}/verifications",
        json={"method": "representative", "representative_id": rep_id, "answers": answers},
        headers=bearer(token),
    )


def disclose(client, token, customer_id, verification_id, fields):
    return client.post(
        f"/api/v1/customers/{customer_id}/disclosures",
        json={
            "verification_id": verification_id,
            "purpose": "service",
            "fields": fields,
            "channel": "phone",
            "recipient": "her son",
        },
        headers=bearer(token),
    )


def test_record_approve_verify_and_tell_within_the_scope(client, tokens, ada, container) -> None:
    texts = []
    made = record(client, tokens["agent"], ada, expires_on="2030-12-31")
    assert made.status_code == 201, made.text
    rep_id = made.json()["representative_id"]
    assert made.json()["status"] == "pending"
    texts.append(made.text)

    pending = verify(client, tokens["agent"], ada, rep_id, THEIRS)
    assert pending.status_code == 403, pending.text
    assert pending.json()["type"].endswith("representative-not-approved")
    texts.append(pending.text)

    approved = decide(client, tokens["supervisor"], ada, rep_id, "approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved", approved.text

    wrong = verify(client, tokens["agent"], ada, rep_id, ADAS_ANSWERS)
    assert wrong.status_code == 200
    assert wrong.json() == {"verified": False, "attempts_left": 2}
    done = verify(
        client, tokens["agent"], ada, rep_id, {"date_of_birth": "2/7/1961", "postcode": "yo317qz"}
    )
    assert done.status_code == 200 and done.json()["verified"] is True, done.text
    assert set(done.json()) == {"verified", "verification_id", "expires_at"}
    ver = done.json()["verification_id"]
    texts += [wrong.text, done.text]

    told = disclose(client, tokens["agent"], ada, ver, ["email"])
    assert told.status_code == 200 and told.json()["values"] == {"email": "ada@example.com"}
    outside = disclose(client, tokens["agent"], ada, ver, ["email", "phone"])
    assert outside.status_code == 403, outside.text
    assert outside.json()["type"].endswith("outside-representative-scope")
    assert "phone" in outside.json()["detail"] and "7946" not in outside.text
    assert [e.entry.outcome for e in audit_events(container, "customer.disclosed", ada)] == [
        "success",
        "denied",
    ]
    log = client.get(f"/api/v1/customers/{ada}/disclosures", headers=bearer(tokens["agent"]))
    assert len(log.json()["items"]) == 1

    listed = client.get(
        f"/api/v1/customers/{ada}/representatives?purpose=service",
        headers=bearer(tokens["agent"]),
    )
    assert listed.status_code == 200, listed.text
    [entry] = listed.json()["items"]
    assert (entry["id"], entry["status"], entry["acts_now"]) == (rep_id, "approved", True)
    assert (entry["scope_fields"], entry["expires_on"]) == (["email"], "2030-12-31")
    assert entry["decision_reason"] == "LPA checked with the OPG"
    assert "answers" not in entry
    texts.append(listed.text)
    assert audit_events(container, "customer.representatives_read", ada)

    for text in texts:
        assert CANARY not in text and "1961" not in text
    trail = client.get("/api/v1/audit/events?limit=500", headers=bearer(tokens["dpo"]))
    with container.uow().reading() as uow:
        bodies = b" ".join(e.body for e in uow.audit.page(after_seq=0, limit=1000))
    assert b"YO31" not in bodies and b"1961" not in bodies
    assert "YO31" not in trail.text


def test_four_eyes_and_the_capability_are_403_problems(client, tokens, ada) -> None:
    rep_id = record(client, tokens["supervisor"], ada).json()["representative_id"]
    own = decide(client, tokens["supervisor"], ada, rep_id, "approve")
    assert own.status_code == 403 and own.json()["type"].endswith("four-eyes"), own.text
    agent = decide(client, tokens["agent"], ada, rep_id, "approve")
    assert agent.status_code == 403
    assert decide(client, tokens["dpo"], ada, rep_id, "approve").status_code == 200
    again = decide(client, tokens["dpo"], ada, rep_id, "refuse")
    assert again.status_code == 409
    assert decide(client, tokens["dpo"], ada, rep_id, "revoke").status_code == 200


def test_bad_input_is_a_422_naming_each_field(client, tokens, ada) -> None:
    bad = record(
        client,
        tokens["agent"],
        ada,
        name="",
        scope={"fields": ["email", "accessibility_needs"], "actions": ["disclose"]},
        answers={"date_of_birth": "31/02/1961", "postcode": CANARY},
    )
    assert bad.status_code == 422, bad.text
    assert bad.headers["content-type"].startswith("application/problem+json")
    fields = [e["field"] for e in bad.json()["errors"]]
    assert fields == ["name", "scope.fields.1", "answers.date_of_birth"]
    assert CANARY not in bad.text
    unknown = record(client, tokens["agent"], ada, authority="a_friend")
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["authority"]
    listed = client.get(f"/api/v1/customers/{ada}/representatives", headers=bearer(tokens["agent"]))
    assert listed.json()["items"] == []
