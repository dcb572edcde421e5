"""Over the REST API: a code sent too soon after the last, or past the hour's allowance, is a
429 problem with the time to try again (header and member); the review queue's lockouts list
whose caller checks are locked, for supervisors only, never with what was said; and the API's
read of a customer is not masked (its clients are systems, not staff on a call)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import pytest

from tests.e2e.conftest import bearer
from tests.e2e.http.test_verifying_a_caller_over_the_api import ADA, HELD, WRONG


@pytest.fixture
def ada(client, tokens) -> str:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "service", "fields": ADA, "source": "phone"},
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def send(client, token, customer_id):
    return client.post(
        f"/api/v1/customers/{customer_id}/verifications",
        json={"method": "one_time_code", "channel": "email"},
        headers=bearer(token),
    )


def test_a_second_code_within_the_wait_is_429_with_the_time_to_retry(
    client, tokens, ada, clock
) -> None:
    first = clock.now()
    assert send(client, tokens["agent"], ada).status_code == 200
    refused = send(client, tokens["supervisor"], ada)
    assert refused.status_code == 429
    assert refused.headers["content-type"].startswith("application/problem+json")
    body = refused.json()
    assert body["status"] == 429 and body["type"].endswith("/too-many-codes")
    retry_at = first + timedelta(seconds=60)
    assert body["retry_at"] == retry_at.astimezone(UTC).isoformat()
    assert parsedate_to_datetime(refused.headers["Retry-After"]) == retry_at.replace(microsecond=0)
    for value in (*HELD, ADA["email"]):
        assert value not in refused.text
    clock.advance(timedelta(seconds=60))
    assert send(client, tokens["agent"], ada).status_code == 200


def test_the_hours_allowance_is_429_until_the_oldest_leaves_the_hour(
    client, tokens, ada, clock
) -> None:
    first = clock.now()
    for _ in range(5):
        assert send(client, tokens["agent"], ada).status_code == 200
        clock.advance(timedelta(minutes=2))
    refused = send(client, tokens["agent"], ada)
    assert refused.status_code == 429
    assert refused.json()["retry_at"] == (first + timedelta(hours=1)).isoformat()
    assert "5 codes" in refused.json()["detail"]


def test_lockouts_are_listed_for_a_supervisor_without_what_was_said(
    client, tokens, ada, clock
) -> None:
    for _ in range(3):
        failed = client.post(
            f"/api/v1/customers/{ada}/verifications",
            json={"method": "knowledge", "answers": WRONG},
            headers=bearer(tokens["agent"]),
        )
        assert failed.status_code == 200 and failed.json()["verified"] is False
    listed = client.get("/api/v1/review-queue/lockouts", headers=bearer(tokens["supervisor"]))
    assert listed.status_code == 200, listed.text
    [item] = listed.json()["items"]
    assert item["customer_id"] == ada and item["display_name"] == "Ada Lovelace"
    assert item["failures"] == 3
    retry_at = datetime.fromisoformat(item["retry_at"])
    assert retry_at == clock.now() + timedelta(minutes=15)
    assert len(item["tried_by_names"]) == 1 and item["tried_by_names"][0].endswith("(agent)")
    for value in (*HELD, *WRONG.values(), "M1"):
        assert value not in listed.text
    refused = client.get("/api/v1/review-queue/lockouts", headers=bearer(tokens["agent"]))
    assert refused.status_code == 403


def test_the_api_read_of_a_customer_is_not_masked(client, tokens, ada) -> None:
    read = client.get(
        f"/api/v1/customers/{ada}", params={"purpose": "service"}, headers=bearer(tokens["agent"])
    )
    assert read.status_code == 200, read.text
    assert ADA["email"] in read.text and "1979-03-14" in read.text
