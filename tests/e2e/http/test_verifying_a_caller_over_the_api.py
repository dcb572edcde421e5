"""Over the REST API a caller is verified from what they state: the answer says verified or
not and how many attempts are left, never which answer was wrong or what is held; a third
failure locks the customer's checks with 423 and a time to try again; the checks are listed
with who ran them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.e2e.conftest import bearer

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
RIGHT = {"date_of_birth": "14 March 1979", "postcode": "sw1a1aa"}
WRONG = {"date_of_birth": "1980-01-01", "postcode": "M1 1AE"}
HELD = ("1979-03-14", "SW1A 1AA", "0018", "+442079460018")


@pytest.fixture
def ada(client, tokens) -> str:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "service", "fields": ADA, "source": "phone"},
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def verify(client, token, customer_id, answers, **extra):
    return client.post(
        f"/api/v1/customers/{customer_id}/verifications",
        json={"method": "knowledge", "answers": answers, **extra},
        headers=bearer(token),
    )


def test_stated_details_in_any_format_verify_the_caller(client, tokens, ada, clock) -> None:
    done = verify(client, tokens["agent"], ada, RIGHT)
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["verified"] is True and body["verification_id"].startswith("ver_")
    assert set(body) == {"verified", "verification_id", "expires_at"}
    phone = verify(client, tokens["agent"], ada, {"phone_last_four": "0018", **WRONG})
    assert phone.json()["verified"] is False


def test_a_failure_says_only_how_many_attempts_are_left(client, tokens, ada) -> None:
    failed = verify(
        client, tokens["agent"], ada, {**WRONG, "date_of_birth": RIGHT["date_of_birth"]}
    )
    assert failed.status_code == 200
    assert failed.json() == {"verified": False, "attempts_left": 2}
    for held in HELD:
        assert held not in failed.text


def test_the_third_failure_locks_the_customer_with_423_and_a_retry_time(
    client, tokens, ada, clock
) -> None:
    for _ in range(3):
        assert verify(client, tokens["agent"], ada, WRONG).json()["verified"] is False
    locked = verify(client, tokens["supervisor"], ada, RIGHT)
    assert locked.status_code == 423
    assert locked.headers["content-type"] == "application/problem+json"
    problem = locked.json()
    assert problem["type"].endswith("/verification-locked")
    assert "retry_at" in problem and locked.headers["Retry-After"].endswith("GMT")
    clock.advance(timedelta(minutes=15, seconds=1))
    assert verify(client, tokens["agent"], ada, RIGHT).json()["verified"] is True


def test_bad_answers_are_problems_naming_the_answer_and_cost_no_attempt(
    client, tokens, ada
) -> None:
    unreadable = verify(client, tokens["agent"], ada, {**RIGHT, "date_of_birth": "31/02/1979"})
    assert unreadable.status_code == 422
    assert [e["field"] for e in unreadable.json()["errors"]] == ["date_of_birth"]
    unknown = verify(client, tokens["agent"], ada, {**RIGHT, "email": "ada@example.com"})
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["email"]
    method = client.post(
        f"/api/v1/customers/{ada}/verifications",
        json={"method": "palm_reading", "answers": RIGHT},
        headers=bearer(tokens["agent"]),
    )
    assert method.status_code == 422
    listed = client.get(f"/api/v1/customers/{ada}/verifications", headers=bearer(tokens["agent"]))
    assert listed.json()["items"] == []


def test_the_checks_are_listed_newest_first_with_who_ran_them(client, tokens, ada, clock) -> None:
    verify(client, tokens["agent"], ada, WRONG)
    clock.advance(timedelta(seconds=30))
    verify(client, tokens["agent"], ada, RIGHT)
    listed = client.get(f"/api/v1/customers/{ada}/verifications", headers=bearer(tokens["agent"]))
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert [i["verified"] for i in items] == [True, False]
    assert items[0]["details_asked_for"] == ["date_of_birth", "postcode"]
    assert items[0]["checked_by_name"].endswith("(agent)")
    for held in HELD:
        assert held not in listed.text


def test_a_role_without_the_verification_purpose_is_refused(client, tokens, ada) -> None:
    refused = verify(client, tokens["admin"], ada, RIGHT)
    assert refused.status_code == 403
    assert verify(client, tokens["agent"], "cus_nobody", RIGHT).status_code == 404
