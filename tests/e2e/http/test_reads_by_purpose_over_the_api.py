"""Over the REST API, every answer is cut by the purpose's projection and every disclosure and
every refusal is in the audit trail.

Names leave out what the purpose does not declare, summaries show only the purpose's fields,
a compare-only purpose collects nothing, a search looks only for values its purpose uses, each
customer shown has a ``customer.shown`` event, and each refused call is recorded as denied.
"""

from __future__ import annotations

import pytest

from clientkeep.audit.model import Outcome
from tests.e2e.conftest import bearer
from tests.integration.customers._policies import (
    SHIPPED,
    container_under,
    policy_file,
    with_default_purpose,
    with_purpose,
)
from tests.integration.customers.conftest import ADA, audit_events

COUNTESS = {**ADA, "preferred_name": "Countess"}
ADA_FOR_BILLING = {
    n: ADA[n] for n in ("given_name", "family_name", "email", "address_line1", "town", "postcode")
}
WITH_CONTACT = with_purpose(
    SHIPPED, "contact", fields=["given_name", "family_name", "email"], one_of=[["email"]]
)
QUEUE_UNDER_BILLING = with_default_purpose(SHIPPED, "billing")


@pytest.fixture
def policy_text() -> str | None:
    """The shipped policy, unless a test parametrises its own."""
    return None


@pytest.fixture
def container(settings, clock, tmp_path, policy_text):
    path = policy_file(tmp_path, policy_text) if policy_text else None
    with container_under(settings, clock, path) as c:
        yield c


def create(client, token, fields, purpose="service"):
    body = {"purpose": purpose, "fields": fields, "source": "phone"}
    return client.post("/api/v1/customers", json=body, headers=bearer(token))


def search(client, token, purpose, **criterion):
    return client.post(
        "/api/v1/customers/search", json={"purpose": purpose, **criterion}, headers=bearer(token)
    )


def read(client, token, customer_id, purpose):
    return client.get(
        f"/api/v1/customers/{customer_id}", params={"purpose": purpose}, headers=bearer(token)
    )


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


def denied(container, action):
    return [e.entry for e in audit_events(container, action) if e.entry.outcome is Outcome.DENIED]


def shown(container, action):
    """Every customer the successful events of ``action`` named, once per event."""
    return [
        c
        for e in audit_events(container, action)
        if e.entry.outcome is Outcome.SUCCESS
        for c in e.entry.customers
    ]


def trail_of(client, tokens, customer_id, action):
    """The customer's events of ``action``, as the audit API's filter by customer finds them."""
    params = {"customer_id": customer_id, "action": action}
    body = client.get("/api/v1/audit", params=params, headers=bearer(tokens["dpo"])).json()
    return body["items"]


def test_billing_answers_name_the_customer_without_the_preferred_name(client, tokens) -> None:
    agent = tokens["agent"]
    made = create(client, agent, COUNTESS).json()
    assert made["display_name"] == "Countess Lovelace"
    record = read(client, agent, made["id"], "billing").json()
    assert record["display_name"] == "Ada Lovelace"
    assert "preferred_name" not in record["fields"]
    (item,) = search(client, agent, "billing", email=ADA["email"]).json()["items"]
    assert item["display_name"] == "Ada Lovelace"
    (warning,) = create(client, agent, ADA_FOR_BILLING, "billing").json()["possible_duplicates"]
    assert (warning["id"], warning["display_name"]) == (made["id"], "Ada Lovelace")


@pytest.mark.parametrize("policy_text", [QUEUE_UNDER_BILLING], ids=["billing by default"])
def test_the_review_queue_names_people_as_its_purpose_shows_them(client, tokens) -> None:
    create(client, tokens["agent"], COUNTESS)
    create(client, tokens["agent"], {**COUNTESS, "email": "countess@example.org"})
    response = client.get("/api/v1/review-queue", headers=bearer(tokens["supervisor"]))
    assert response.status_code == 200, response.text
    (suspect,) = response.json()["duplicates"]
    assert (suspect["display_name"], suspect["other_display_name"]) == (
        "Ada Lovelace",
        "Ada Lovelace",
    )


@pytest.mark.parametrize("policy_text", [WITH_CONTACT], ids=["contact purpose"])
def test_a_warning_under_a_purpose_without_postcodes_has_no_postcode_district(
    client, tokens
) -> None:
    made = create(client, tokens["agent"], ADA).json()
    contact = {"given_name": "Ada", "family_name": "Lovelace", "email": ADA["email"]}
    (warning,) = create(client, tokens["agent"], contact, "contact").json()["possible_duplicates"]
    assert (warning["id"], warning["display_name"]) == (made["id"], "Ada Lovelace")
    assert warning["postcode_district"] is None


def test_a_compare_only_purpose_can_neither_register_nor_correct(client, tokens) -> None:
    agent = tokens["agent"]
    made = create(client, agent, ADA).json()
    stated = {"phone": ADA["phone"], "postcode": ADA["postcode"]}
    body = assert_problem(create(client, agent, stated, "identity_verification"), 422)
    assert {e["field"] for e in body["errors"]} == {"fields.phone", "fields.postcode"}
    assert "Lovelace" not in str(body)
    correction = client.patch(
        f"/api/v1/customers/{made['id']}",
        json={
            "purpose": "identity_verification",
            "fields": {"date_of_birth": "1990-01-01"},
            "reason": "caller says so",
            "source": "internal_records",
        },
        headers=bearer(agent),
    )
    body = assert_problem(correction, 422)
    assert [e["field"] for e in body["errors"]] == ["fields.date_of_birth"]
    assert (
        read(client, agent, made["id"], "service").json()["fields"]["date_of_birth"]
        == (ADA["date_of_birth"])
    )


@pytest.mark.parametrize("criterion", [{"phone": ADA["phone"]}, {"query": "020 7946 0018"}])
def test_searching_by_phone_under_billing_is_refused_and_recorded(
    client, tokens, container, criterion
) -> None:
    create(client, tokens["agent"], ADA)
    response = search(client, tokens["agent"], "billing", **criterion)
    body = assert_problem(response, 403)
    assert "7946" not in response.text
    assert body["status"] == 403
    (event,) = denied(container, "customer.searched")
    assert (event.purpose, event.customer_id) == ("billing", None)
    assert event.request_id == response.headers["x-request-id"]
    assert shown(container, "customer.searched") == []


def test_each_customer_shown_is_audited_by_id(client, tokens, container) -> None:
    agent = tokens["agent"]
    ada = create(client, agent, ADA).json()
    neighbour = {
        "given_name": "Grace",
        "family_name": "Hopper",
        "address_line1": "14 Example Street",
        "town": "London",
        "postcode": ADA["postcode"],
    }
    grace = create(client, agent, neighbour).json()
    items = search(client, agent, "service", postcode="SW1A 1AA").json()["items"]
    assert {i["id"] for i in items} == {ada["id"], grace["id"]}
    assert sorted(shown(container, "customer.searched")) == sorted([ada["id"], grace["id"]])
    (found,) = trail_of(client, tokens, grace["id"], "customer.searched")
    assert found["detail"]["results"] == 2
    again = create(client, agent, {**ADA, "email": "ada@example.org"}).json()
    assert [w["id"] for w in again["possible_duplicates"]] == [ada["id"]]
    # Each registration names its new customer; the last also the one its warning showed.
    created = shown(container, "customer.created")
    assert created == [ada["id"], grace["id"], again["id"], ada["id"]]
    assert len(trail_of(client, tokens, ada["id"], "customer.created")) == 2
    queue = client.get("/api/v1/review-queue", headers=bearer(tokens["supervisor"])).json()
    (suspect,) = queue["duplicates"]
    listed = {suspect["customer_id"], suspect["other_id"]}
    assert listed == {ada["id"], again["id"]}
    assert sorted(shown(container, "review.read")) == sorted(listed)
    for customer_id in listed:
        assert len(trail_of(client, tokens, customer_id, "review.read")) == 1


def test_refused_calls_are_recorded_as_denied(client, tokens, container) -> None:
    agent = tokens["agent"]
    first = create(client, agent, ADA).json()["id"]
    second = create(client, agent, {**ADA, "email": "ada@example.org"}).json()["id"]
    assert_problem(read(client, agent, first, "marketing"), 403)
    merge = client.post(
        f"/api/v1/customers/{first}/merge",
        json={"duplicate_id": second, "reason": "same person", "preview_digest": "0" * 64},
        headers=bearer(agent),
    )
    assert_problem(merge, 403)
    assert_problem(client.get("/api/v1/review-queue", headers=bearer(agent)), 403)
    (read_event,) = denied(container, "customer.read")
    assert (read_event.customer_id, read_event.purpose) == (first, "marketing")
    (merge_event,) = denied(container, "customer.merged")
    # The API fills in the policy's default purpose when the body names none.
    assert (merge_event.customer_id, merge_event.purpose) == (first, "service")
    (queue_event,) = denied(container, "review.read")
    assert (queue_event.customer_id, queue_event.actor_role) == (None, "agent")


def test_a_refusal_records_neither_a_malformed_id_nor_an_undeclared_purpose(
    client, tokens, container
) -> None:
    agent = tokens["agent"]
    second = create(client, agent, ADA).json()["id"]
    assert_problem(read(client, agent, "not-a-customer-id", "marketing"), 403)
    merge = client.post(
        "/api/v1/customers/" + "cus_" + "a" * 24 + "/merge",
        json={
            "duplicate_id": second,
            "reason": "same person",
            "purpose": "ada-at-example",
            "preview_digest": "0" * 64,
        },
        headers=bearer(agent),
    )
    assert_problem(merge, 403)
    (read_event,) = denied(container, "customer.read")
    assert read_event.customer_id is None
    (merge_event,) = denied(container, "customer.merged")
    assert (merge_event.customer_id, merge_event.purpose) == ("cus_" + "a" * 24, None)
