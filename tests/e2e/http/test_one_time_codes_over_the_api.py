"""Over the REST API a caller is verified by a one-time code: `{"method": "one_time_code",
"channel": ...}` sends it to the contact details on record and answers sent, the channel, the
expiry and a masked hint, never the code or the address; `{"method": "one_time_code", "code":
...}` checks it, once; wrong codes count toward the customer's lockout (423); a channel with
nothing on record, or a code that is not six digits, is a problem naming its field."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.e2e.conftest import bearer
from tests.e2e.http.test_verifying_a_caller_over_the_api import ADA, WRONG

CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def ada(client, tokens) -> str:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "service", "fields": ADA, "source": "phone"},
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def post(client, token, customer_id, **body):
    return client.post(
        f"/api/v1/customers/{customer_id}/verifications",
        json={"method": "one_time_code", **body},
        headers=bearer(token),
    )


def fields_named(problem) -> list[str]:
    return [e["field"] for e in problem.json()["errors"]]


def code_sent(container, customer_id) -> str:
    with container.uow().reading() as uow:
        opened = uow.outbox.opened_for_customer(customer_id)
    return CODE.search(opened[-1][1].body).group(1)


def test_a_code_is_sent_to_the_record_and_passes_once(
    client, tokens, ada, container, clock
) -> None:
    sent = post(client, tokens["agent"], ada, channel="email")
    assert sent.status_code == 200, sent.text
    body = sent.json()
    assert body["sent"] is True and body["channel"] == "email"
    # No hint: "service" hides the email until the caller is verified.
    assert set(body) == {"sent", "channel", "expires_at"}
    code = code_sent(container, ada)
    assert code not in sent.text and ADA["email"] not in sent.text

    done = post(client, tokens["agent"], ada, code=code)
    assert done.status_code == 200, done.text
    passed = done.json()
    assert passed["verified"] is True and passed["verification_id"].startswith("ver_")
    assert set(passed) == {"verified", "verification_id", "expires_at"}
    assert post(client, tokens["agent"], ada, code=code).json() == {
        "verified": False,
        "attempts_left": 2,
    }
    listed = client.get(
        f"/api/v1/customers/{ada}/verifications", headers=bearer(tokens["agent"])
    ).json()["items"]
    assert [a["method"] for a in listed] == ["one_time_code", "one_time_code"]


def test_an_expired_code_fails_without_saying_why(client, tokens, ada, container, clock) -> None:
    post(client, tokens["agent"], ada, channel="sms")
    code = code_sent(container, ada)
    clock.advance(timedelta(minutes=10, seconds=1))
    assert post(client, tokens["agent"], ada, code=code).json() == {
        "verified": False,
        "attempts_left": 2,
    }


def test_wrong_codes_and_wrong_answers_share_one_lockout(client, tokens, ada, container) -> None:
    post(client, tokens["agent"], ada, channel="email")
    code = code_sent(container, ada)
    wrong = "000000" if code != "000000" else "111111"
    assert post(client, tokens["agent"], ada, code=wrong).json()["attempts_left"] == 2
    knowledge = client.post(
        f"/api/v1/customers/{ada}/verifications",
        json={"method": "knowledge", "answers": WRONG},
        headers=bearer(tokens["agent"]),
    )
    assert knowledge.json()["attempts_left"] == 1
    assert post(client, tokens["agent"], ada, code=wrong).json()["attempts_left"] == 0
    locked = post(client, tokens["agent"], ada, code=code)
    assert locked.status_code == 423
    assert locked.headers["content-type"].startswith("application/problem+json")
    assert post(client, tokens["agent"], ada, channel="email").status_code == 423


def test_bad_requests_are_problems_naming_the_field(client, tokens, container) -> None:
    no_email = client.post(
        "/api/v1/customers",
        json={
            "purpose": "service",
            "fields": {k: v for k, v in ADA.items() if k != "email"},
            "source": "phone",
        },
        headers=bearer(tokens["agent"]),
    ).json()["id"]
    refused = post(client, tokens["agent"], no_email, channel="email")
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert fields_named(refused) == ["channel"]
    with container.uow().reading() as uow:
        assert uow.outbox.opened_for_customer(no_email) == []

    unreadable = post(client, tokens["agent"], no_email, code="12ab56")
    assert unreadable.status_code == 422 and fields_named(unreadable) == ["code"]
    both = post(client, tokens["agent"], no_email, channel="sms", code="123456")
    assert both.status_code == 422 and fields_named(both) == ["channel"]
    # A channel the policy does not offer is refused before anything is looked up.
    fax = post(client, tokens["agent"], no_email, channel="fax")
    assert fax.status_code == 422
    assert [f.rsplit(".", 1)[-1] for f in fields_named(fax)] == ["channel"]
    # Never to an address the caller gives.
    given = post(client, tokens["agent"], no_email, channel="email", to="x@example.com")
    assert given.status_code == 422
