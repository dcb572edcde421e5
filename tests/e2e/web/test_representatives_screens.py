"""The Representatives screen over plain HTTP: an agent records one (errors name each field and
the typed answers are never shown back), a supervisor approves them (never one they recorded),
and the agent verifies a caller as that representative with their own answers, landing on
"Tell the caller"; the customer's own answers do not do. No page carries their answers."""

from __future__ import annotations

import re

import pytest

from clientkeep.customers import services as customers
from tests.e2e.web.conftest import csrf_of

CANARY = "YO31 7QZ"


@pytest.fixture
def ada(container, personas) -> str:
    return customers.register(
        customers.RegisterCustomer(
            purpose="service",
            fields={
                "given_name": "Ada",
                "family_name": "Lovelace",
                "email": "ada@example.com",
                "phone": "020 7946 0018",
                "postcode": "SW1A 1AA",
                "date_of_birth": "1979-03-14",
            },
            source="phone",
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id


def page_of(client, customer_id):
    got = client.get(f"/customers/{customer_id}/representatives?purpose=service")
    assert got.status_code == 200, got.text
    return got


def post(client, url, data, page):
    return client.post(url, data={**data, "csrf_token": csrf_of(page.text)}, follow_redirects=False)


ADD = {
    "purpose": "service",
    "name": "Byron Lovelace",
    "relationship": "son",
    "authority": "lasting_power_of_attorney",
    "reference": "7000-1234-5678",
    "evidence_seen": "the registered LPA, original",
    "scope_field": ["email"],
    "scope_action": ["disclose"],
    "answer_date_of_birth": "2 July 1961",
    "answer_postcode": CANARY,
}


def test_record_approve_and_verify_a_representative(signed_in, ada, container) -> None:
    agent, supervisor = signed_in("agent"), signed_in("supervisor")
    pages = []
    first = page_of(agent, ada)
    assert "No representatives recorded" in first.text

    bad = post(
        agent,
        f"/customers/{ada}/representatives",
        {
            **ADD,
            "name": "",
            "scope_field": ["email", "accessibility_needs"],
            "answer_date_of_birth": "31/02/1961",
        },
        first,
    )
    assert bad.status_code == 422
    summary = re.findall(r'<li><a href="#([^"]+)">', bad.text)
    assert summary == ["rep-name", "scope-fields", "rep-answer-date_of_birth"]
    assert 'value="the registered LPA, original"' in bad.text  # kept, as typed
    pages.append(bad.text)

    made = post(agent, f"/customers/{ada}/representatives", ADD, first)
    assert made.status_code == 303
    assert made.headers["location"].endswith("done=recorded")
    listed = page_of(agent, ada)
    assert "Byron Lovelace (son)" in listed.text and "pending" in listed.text
    # An agent may not decide, and nobody can verify them before approval.
    assert "Record the decision" not in listed.text
    assert "Verify this representative" not in listed.text
    pages.append(listed.text)
    with container.uow().reading() as uow:
        [rep] = uow.representatives.for_customer(ada)

    sup_page = page_of(supervisor, ada)
    assert "Record the decision" in sup_page.text
    approved = post(
        supervisor,
        f"/customers/{ada}/representatives/{rep.id}/decision",
        {"purpose": "service", "decision": "approve", "reason": "LPA checked with the OPG"},
        sup_page,
    )
    assert approved.status_code == 303 and approved.headers["location"].endswith("done=approved")

    ready = page_of(agent, ada)
    assert "Verify this representative" in ready.text
    assert "LPA checked with the OPG" in ready.text
    pages.append(ready.text)
    wrong = post(
        agent,
        f"/customers/{ada}/representatives/{rep.id}/verify",
        {"purpose": "service", "answer_date_of_birth": "1979-03-14", "answer_postcode": "SW1A 1AA"},
        ready,
    )
    assert wrong.status_code == 303 and "result=not_verified&left=2" in wrong.headers["location"]
    after = agent.get(wrong.headers["location"])
    assert "Not verified" in after.text
    pages.append(after.text)

    passed = post(
        agent,
        f"/customers/{ada}/representatives/{rep.id}/verify",
        {"purpose": "service", "answer_date_of_birth": "02/07/1961", "answer_postcode": "yo31 7qz"},
        ready,
    )
    assert passed.status_code == 303
    assert passed.headers["location"] == f"/customers/{ada}/tell?purpose=service"
    with container.uow().reading() as uow:
        checks = uow.verifications.for_customer(ada)
    assert {(v.passed, v.representative_id) for v in checks} == {(False, rep.id), (True, rep.id)}
    for text in pages:
        assert "YO31" not in text.upper() and "1961" not in text


def test_the_recorder_cannot_approve_on_the_page(signed_in, ada, container) -> None:
    supervisor = signed_in("supervisor")
    first = page_of(supervisor, ada)
    assert post(supervisor, f"/customers/{ada}/representatives", ADD, first).status_code == 303
    listed = page_of(supervisor, ada)
    assert "another member of staff must approve them" in listed.text
    assert 'value="approve"' not in listed.text
    with container.uow().reading() as uow:
        [rep] = uow.representatives.for_customer(ada)
    forced = post(
        supervisor,
        f"/customers/{ada}/representatives/{rep.id}/decision",
        {"purpose": "service", "decision": "approve", "reason": "my own"},
        listed,
    )
    assert forced.status_code == 403
    empty = post(
        supervisor,
        f"/customers/{ada}/representatives/{rep.id}/decision",
        {"purpose": "service", "decision": "refuse", "reason": ""},
        listed,
    )
    assert empty.status_code == 422
    assert f'href="#reason-{rep.id}"' in empty.text
