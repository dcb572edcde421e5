"""Over the REST API: a customer's answer is recorded (201, idempotent under a key), a score
out of range or of the wrong type is a 422 problem naming it and never echoing it, answers are
read under a purpose, a survey is queued by email, and the satisfaction report is JSON or
spreadsheet-safe CSV for reports.read only."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import bearer
from tests.integration.feedback._making import a_contact

ADA = {"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"}


@pytest.fixture
def ada(client, tokens) -> str:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "service", "fields": ADA, "source": "phone"},
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def post(client, token, customer_id, body, **headers):
    return client.post(
        f"/api/v1/customers/{customer_id}/feedback",
        json=body,
        headers=bearer(token) | headers,
    )


def test_an_answer_is_recorded_read_back_and_replayed_under_its_key(
    client, tokens, ada, container, personas
) -> None:
    contact = a_contact(container, ada, personas.supervisor.actor.id, row_id="int_api")
    body = {"csat": 5, "comment": "Sorted first time", "interaction_id": contact}
    made = post(client, tokens["agent"], ada, body, **{"Idempotency-Key": "fb-1"})
    assert made.status_code == 201, made.text
    out = made.json()
    assert (out["scale"], out["score"], out["staff_id"]) == (
        "csat",
        5,
        personas.supervisor.actor.id,
    )
    again = post(client, tokens["agent"], ada, body, **{"Idempotency-Key": "fb-1"})
    assert again.json()["id"] == out["id"] and again.headers["Idempotent-Replayed"] == "true"
    reused = post(client, tokens["agent"], ada, {"csat": 1}, **{"Idempotency-Key": "fb-1"})
    assert reused.status_code == 409
    listed = client.get(
        f"/api/v1/customers/{ada}/feedback?purpose=service", headers=bearer(tokens["agent"])
    ).json()
    assert [i["comment"] for i in listed["items"]] == ["Sorted first time"]
    billing = client.get(
        f"/api/v1/customers/{ada}/feedback?purpose=billing", headers=bearer(tokens["agent"])
    ).json()
    assert billing == {"shown": False, "items": [], "next_cursor": None}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"csat": 6}, "csat"),
        ({"nps": 11}, "nps"),
        ({"nps": -1}, "nps"),
        ({"csat": True}, "csat"),
        ({"csat": 4.0}, "csat"),
        ({"nps": "9"}, "nps"),
        ({"csat": 4, "nps": 9}, "csat"),
        ({}, "csat"),
        ({"csat": 4, "purpose": "billing"}, "purpose"),
    ],
)
def test_a_bad_score_is_a_422_problem_naming_the_field(client, tokens, ada, body, field) -> None:
    got = post(client, tokens["agent"], ada, body)
    assert got.status_code == 422, got.text
    assert got.headers["content-type"].startswith("application/problem+json")
    assert field in got.text
    for value in body.values():
        if isinstance(value, str) and value not in ("billing",):
            assert f'"{value}"' not in got.text


def test_asking_for_feedback_queues_an_email(client, tokens, ada) -> None:
    got = client.post(
        f"/api/v1/customers/{ada}/feedback-requests", json={}, headers=bearer(tokens["agent"])
    )
    assert got.status_code == 202, got.text
    assert got.json()["message_id"].startswith("msg_")


def test_the_report_is_json_or_csv_for_reports_read_only(client, tokens, ada) -> None:
    for score in (9, 9, 10, 8, 7, 6, 0, 10, 9, 3):
        assert post(client, tokens["agent"], ada, {"nps": score}).status_code == 201
    got = client.get("/api/v1/reports/satisfaction?by=staff", headers=bearer(tokens["dpo"]))
    assert got.status_code == 200, got.text
    assert got.json()["total"]["nps"] == 20.0 and got.json()["total"]["nps_answers"] == 10
    [line] = got.json()["lines"]
    assert line["label"] == "agent.one (agent)"
    csv = client.get(
        "/api/v1/reports/satisfaction?by=month&from=2026-11&to=2026-11&format=csv",
        headers=bearer(tokens["supervisor"]),
    )
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines()[1] == "month,2026-11,,0,20.0,10,5,2,3"
    assert ada not in csv.text
    refused = client.get("/api/v1/reports/satisfaction", headers=bearer(tokens["agent"]))
    assert refused.status_code == 403
    bad = client.get("/api/v1/reports/satisfaction?by=weather", headers=bearer(tokens["dpo"]))
    assert bad.status_code == 422 and "by" in bad.text
