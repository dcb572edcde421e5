"""Over the REST API a complaint is opened with its deadlines (an Idempotency-Key replays it),
worked through its steps (an illegal one is 409 naming the state, a missing reason 422 on the
field), listed on the board with its filters, answered by a plain-text final response letter,
listed on its customer, and counted in the report (JSON or spreadsheet-safe CSV, reports.read
only)."""

from __future__ import annotations

from datetime import timedelta

from tests.e2e.conftest import bearer
from tests.integration.record_kinds._storage import audit_events

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada@example.com",
    "address_line1": "12 Analytical Street",
    "town": "London",
    "postcode": "SW1A 1AA",
}
CASE = {
    "type": "general",
    "summary": "=HYPERLINK(charged twice for November)",
    "desired_outcome": "A refund",
    "channel": "phone",
}
CHECKLIST = {"listened": True, "apologised": True, "solution_offered": True, "thanked": False}


def register(client, token) -> str:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "complaints", "fields": ADA, "source": "phone"},
        headers=bearer(token),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def test_a_complaint_from_opening_to_its_final_response(client, tokens, container) -> None:
    agent, supervisor = bearer(tokens["agent"]), bearer(tokens["supervisor"])
    customer_id = register(client, tokens["agent"])
    opened = client.post(
        "/api/v1/complaints",
        json={"customer_id": customer_id, **CASE},
        headers={**agent, "Idempotency-Key": "case-1"},
    )
    assert opened.status_code == 201, opened.text
    body = opened.json()
    assert (body["acknowledge_due"], body["final_response_due"]) == ("2026-11-25", "2027-01-18")
    assert body["acknowledge_status"] == "nearly_due" and body["state"] == "received"
    assert body["details"]["summary"].startswith("=HYPERLINK")
    again = client.post(
        "/api/v1/complaints",
        json={"customer_id": customer_id, **CASE},
        headers={**agent, "Idempotency-Key": "case-1"},
    )
    assert again.json()["id"] == body["id"] and again.headers["Idempotent-Replayed"] == "true"
    case_id = body["id"]
    steps = f"/api/v1/complaints/{case_id}/steps"

    illegal = client.post(steps, json={"step": "close"}, headers=agent)
    assert illegal.status_code == 409 and "received" in illegal.json()["detail"]
    no_reason = client.post(steps, json={"step": "hold"}, headers=agent)
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["field"] == "reason"
    unknown = client.post(steps, json={"step": "vanish"}, headers=agent)
    assert unknown.status_code == 422

    assert client.post(steps, json={"step": "acknowledge"}, headers=agent).status_code == 200
    held = client.post(steps, json={"step": "hold", "reason": "waiting for a bill"}, headers=agent)
    assert held.json()["on_hold_since"] is not None
    assert client.post(steps, json={"step": "release"}, headers=agent).status_code == 200
    early = client.get(f"/api/v1/complaints/{case_id}/final-response", headers=agent)
    assert early.status_code == 409
    resolved = client.post(
        steps,
        json={
            "step": "resolve",
            "resolution": "Refunded the second charge.",
            "checklist": CHECKLIST,
            "customer_accepted": "yes",
        },
        headers=agent,
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["checklist"] == CHECKLIST
    assert [s["step"] for s in resolved.json()["steps"]] == [
        "opened",
        "acknowledged",
        "held",
        "released",
        "resolved",
    ]
    letter = client.get(f"/api/v1/complaints/{case_id}/final-response", headers=agent)
    assert letter.status_code == 200 and letter.headers["content-type"].startswith("text/plain")
    assert "Ada Lovelace" in letter.text and "Financial Ombudsman Service" in letter.text
    assert "Refunded the second charge." in letter.text
    assert audit_events(container, "complaint.final_response_read", customer_id)

    mine = client.get(f"/api/v1/customers/{customer_id}/complaints", headers=agent).json()
    assert [c["id"] for c in mine["items"]] == [case_id]
    billing = client.get(
        f"/api/v1/customers/{customer_id}/complaints?purpose=billing", headers=agent
    ).json()
    # That the customer complained is complaint details: billing lists no case.
    assert billing["items"] == []

    denied = client.get("/api/v1/reports/complaints", headers=agent)
    assert denied.status_code == 403
    report = client.get("/api/v1/reports/complaints", headers=supervisor).json()
    general = next(r for r in report["rows"] if r["key"] == "general")
    assert (general["received"], general["resolved_on_time"], general["accepted_share"]) == (
        1,
        1,
        1.0,
    )
    as_csv = client.get("/api/v1/reports/complaints?format=csv", headers=supervisor)
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines()[0].startswith("dimension,key,label,received")


def test_the_board_over_the_api(client, tokens, container) -> None:
    agent = bearer(tokens["agent"])
    customer_id = register(client, tokens["agent"])
    made = [
        client.post(
            "/api/v1/complaints",
            json={"customer_id": customer_id, **CASE, "type": kind},
            headers=agent,
        ).json()["id"]
        for kind in ("service", "general")
    ]
    board = client.get("/api/v1/complaints", headers=agent).json()
    assert [c["id"] for c in board["items"]] == made[::-1]
    assert board["items"][0]["customer_name"] == "Ada Lovelace"
    assert board["items"][0]["details"] is None
    container.clock.advance(timedelta(days=3))
    overdue = client.get("/api/v1/complaints?due=overdue", headers=agent).json()
    assert [c["id"] for c in overdue["items"]] == [made[1]]
    assert client.get("/api/v1/complaints?due=later", headers=agent).status_code == 422
    assert client.get("/api/v1/complaints?cursor=zzz", headers=agent).status_code == 422
    admin = client.get("/api/v1/complaints", headers=bearer(tokens["admin"]))
    assert admin.status_code == 403
    missing = client.post(
        "/api/v1/complaints", json={"customer_id": "cus_nobody", **CASE}, headers=agent
    )
    assert missing.status_code == 404
    assert client.get("/api/v1/complaints/cmp_nothing", headers=agent).status_code == 404
