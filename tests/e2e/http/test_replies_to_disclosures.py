"""A written reply to a disclosure holds exactly the details it told: the letter to print, and
the email, which goes only to the address on the record, through the outbox, and only for a
disclosure by email to the verified customer by the member who made it, while the check lasts."""

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
    "address_line1": "12 Analytical Row",
    "town": "London",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1979-03-14",
}
RIGHT = {"date_of_birth": "14 March 1979", "postcode": "sw1a1aa"}
# Values of the record a reply telling only the address must never carry.
UNTOLD = ("ada@example.com", "020 7946 0018", "1979", "Lovelace", "Ada")


@pytest.fixture
def ada(client, tokens) -> str:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "service", "fields": ADA, "source": "phone"},
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def told(client, token, customer_id, fields, channel) -> str:
    check = client.post(
        f"/api/v1/customers/{customer_id}/verifications",
        json={"method": "knowledge", "answers": RIGHT},
        headers=bearer(token),
    )
    assert check.json()["verified"] is True, check.text
    done = client.post(
        f"/api/v1/customers/{customer_id}/disclosures",
        json={
            "verification_id": check.json()["verification_id"],
            "purpose": "service",
            "fields": fields,
            "channel": channel,
            "recipient": "the caller",
        },
        headers=bearer(token),
    )
    assert done.status_code == 200, done.text
    return str(done.json()["disclosure_id"])


def test_the_letter_holds_exactly_the_details_told(client, tokens, ada, container) -> None:
    dis = told(client, tokens["agent"], ada, ["address_line1", "postcode"], "letter")
    got = client.get(
        f"/api/v1/customers/{ada}/disclosures/{dis}/letter", headers=bearer(tokens["agent"])
    )
    assert got.status_code == 200, got.text
    body = got.json()["body"]
    assert "Address line 1: 12 Analytical Row" in body
    assert "Postcode: SW1A 1AA" in body
    assert dis in body and container.policy.controller.name in body
    assert "For: the caller" in body
    for value in UNTOLD:
        assert value not in body, value
    # Reading the letter is a read of the details told, and of nothing else.
    [read] = [
        e
        for e in audit_events(container, "customer.read", ada)
        if e.entry.detail.get("disclosure_id")
    ]
    assert read.entry.fields == ("address_line1", "postcode")


def test_the_letter_is_only_for_its_maker_while_the_check_lasts(
    client, tokens, ada, container
) -> None:
    dis = told(client, tokens["agent"], ada, ["postcode"], "letter")
    url = f"/api/v1/customers/{ada}/disclosures/{dis}/letter"
    other = client.get(url, headers=bearer(tokens["supervisor"]))
    assert other.status_code == 404, other.text
    container.clock.advance(timedelta(minutes=16))
    late = client.get(url, headers=bearer(tokens["agent"]))
    assert late.status_code == 403, late.text
    assert "SW1A" not in late.text


def test_an_email_reply_goes_to_the_address_on_record_through_the_outbox(
    client, tokens, ada, container
) -> None:
    dis = told(client, tokens["agent"], ada, ["address_line1", "postcode"], "email")
    sent = client.post(
        f"/api/v1/customers/{ada}/disclosures/{dis}/email", headers=bearer(tokens["agent"])
    )
    assert sent.status_code == 202, sent.text
    message_id = sent.json()["message_id"]
    assert "SW1A" not in sent.text
    with container.uow() as uow:
        envelope, content = uow.outbox.open(message_id)
    assert content.to == "ada@example.com"
    assert envelope.kind == "disclosure_reply"
    assert envelope.quotes == frozenset({"address_line1", "postcode"})
    assert "Postcode: SW1A 1AA" in content.body and "12 Analytical Row" in content.body
    for value in ("020 7946 0018", "1979", "Lovelace"):
        assert value not in content.body
    [queued] = audit_events(container, "customer.reply_queued", ada)
    assert queued.entry.detail["message"] == message_id
    assert queued.entry.fields == ("address_line1", "email", "postcode")


def test_an_email_reply_is_refused_for_a_disclosure_not_made_by_email(
    client, tokens, ada, container
) -> None:
    dis = told(client, tokens["agent"], ada, ["postcode"], "phone")
    refused = client.post(
        f"/api/v1/customers/{ada}/disclosures/{dis}/email", headers=bearer(tokens["agent"])
    )
    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"].startswith("application/problem+json")
    with container.uow() as uow:
        assert uow.outbox.for_customer(ada) == []


def test_an_email_reply_needs_the_check_to_last(client, tokens, ada, container) -> None:
    dis = told(client, tokens["agent"], ada, ["postcode"], "email")
    container.clock.advance(timedelta(minutes=16))
    refused = client.post(
        f"/api/v1/customers/{ada}/disclosures/{dis}/email", headers=bearer(tokens["agent"])
    )
    assert refused.status_code == 403, refused.text
    with container.uow() as uow:
        assert uow.outbox.for_customer(ada) == []
    [denied] = audit_events(container, "customer.reply_queued", ada)
    assert denied.entry.outcome == "denied"


def test_a_third_party_gets_a_letter_for_a_few_minutes_and_never_an_email(
    client, tokens, ada, container
) -> None:
    from tests.e2e.http.test_third_party_requests_over_the_api import decide, disclose, recorded

    request_id = recorded(client, tokens["agent"], ada, ["postcode"])
    assert decide(client, tokens["supervisor"], request_id, "approve").status_code == 200
    done = disclose(client, tokens["agent"], ada, request_id, ["postcode"])
    assert done.status_code == 200, done.text
    dis = done.json()["disclosure_id"]
    url = f"/api/v1/customers/{ada}/disclosures/{dis}"
    got = client.get(f"{url}/letter", headers=bearer(tokens["agent"]))
    assert got.status_code == 200, got.text
    assert (
        "Postcode: SW1A 1AA" in got.json()["body"] and "For: DC Sam Example" in got.json()["body"]
    )
    emailed = client.post(f"{url}/email", headers=bearer(tokens["agent"]))
    assert emailed.status_code == 409, emailed.text
    container.clock.advance(timedelta(minutes=16))
    late = client.get(f"{url}/letter", headers=bearer(tokens["agent"]))
    assert late.status_code == 403, late.text
    assert "SW1A" not in late.text


def test_a_representative_gets_a_letter_never_an_email_to_the_customers_address(
    client, tokens, ada, container
) -> None:
    from tests.e2e.http.test_representatives_over_the_api import THEIRS, decide, record, verify

    rep = record(client, tokens["agent"], ada, scope={"fields": ["email"], "actions": ["disclose"]})
    assert rep.status_code == 201, rep.text
    rep_id = rep.json()["representative_id"]
    assert decide(client, tokens["supervisor"], ada, rep_id, "approve").status_code == 200
    check = verify(client, tokens["agent"], ada, rep_id, THEIRS)
    assert check.json()["verified"] is True, check.text
    done = client.post(
        f"/api/v1/customers/{ada}/disclosures",
        json={
            "verification_id": check.json()["verification_id"],
            "fields": ["email"],
            "channel": "email",
            "recipient": "Byron Lovelace, her attorney",
        },
        headers=bearer(tokens["agent"]),
    )
    assert done.status_code == 200, done.text
    url = f"/api/v1/customers/{ada}/disclosures/{done.json()['disclosure_id']}"
    got = client.get(f"{url}/letter", headers=bearer(tokens["agent"]))
    assert got.status_code == 200 and "Email address: ada@example.com" in got.json()["body"]
    emailed = client.post(f"{url}/email", headers=bearer(tokens["agent"]))
    assert emailed.status_code == 409, emailed.text
    with container.uow() as uow:
        assert uow.outbox.for_customer(ada) == []
