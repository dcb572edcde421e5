"""The canary scan of verifying a caller over the API and on the web panel.

A customer whose date of birth, postcode, phone and reference are canaries is checked by
stated details (right and wrong, through to the lockout) and by one-time codes, over the API
and on the verification panel and the tell page. None of the held values, nor any answer a
caller stated, may appear in a response's body or headers (a redirect's Location too), in a
log record, or in any audit event. The customer's own page legitimately shows these details
once the caller is verified, so it is not scanned: the surfaces of verification are.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import pytest

from clientkeep.audit.model import MAIN_CHAIN
from tests.e2e._canaries import (
    FIELDS,
    HELD_FORMS,
    RIGHT,
    STATED_FORMS,
    forms_of_reference,
    found_in,
)
from tests.e2e.conftest import bearer
from tests.e2e.web.conftest import csrf_of

CODE = re.compile(r"\b(\d{6})\b")


class Scanned:
    """Every response seen, to scan once the work is done."""

    def __init__(self) -> None:
        self.texts: list[tuple[str, str]] = []

    def add(self, response) -> object:
        for r in [*response.history, response]:
            headers = "\n".join(f"{k}: {v}" for k, v in r.headers.items())
            self.texts.append((f"{r.request.method} {r.request.url}", f"{headers}\n{r.text}"))
        return response


@pytest.fixture
def canary(client, tokens, container) -> tuple[str, tuple[str, ...]]:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "service", "fields": FIELDS, "source": "phone"},
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    customer_id = made.json()["id"]
    with container.uow().reading() as uow:
        [customer] = uow.customers.get_many([customer_id])
    reference = customer.value(container.policy.field_roles.reference)
    assert reference
    return customer_id, (*HELD_FORMS, *STATED_FORMS, *forms_of_reference(reference))


def code_sent(container, customer_id) -> str:
    with container.uow().reading() as uow:
        opened = uow.outbox.opened_for_customer(customer_id)
    return CODE.search(opened[-1][1].body).group(1)


def audit_texts(container) -> list[tuple[str, str]]:
    with container.uow().reading() as uow:
        events = uow.audit.page(chain=MAIN_CHAIN, limit=100_000)
    return [(f"audit {e.seq} {e.entry.action}", e.body.decode()) for e in events]


def assert_clean(texts, canaries) -> None:
    leaks = [(where, found) for where, text in texts if (found := found_in(text, canaries))]
    assert leaks == [], f"canaries found: {leaks[:5]}"


def test_the_api_never_answers_logs_or_records_a_held_value_or_a_stated_answer(
    client, tokens, canary, container, clock, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    customer_id, canaries = canary
    seen = Scanned()
    reference = canaries[-2]
    url = f"/api/v1/customers/{customer_id}/verifications"
    agent, supervisor = bearer(tokens["agent"]), bearer(tokens["supervisor"])

    def knowledge(answers, who=agent):
        return seen.add(
            client.post(url, json={"method": "knowledge", "answers": answers}, headers=who)
        )

    def otc(who=agent, **body):
        return seen.add(client.post(url, json={"method": "one_time_code", **body}, headers=who))

    assert (
        knowledge({"date_of_birth": "11/02/1952", "postcode": "ZE2 9AE"}).json()["verified"]
        is False
    )
    assert knowledge({**RIGHT, "customer_reference": reference}).json()["verified"] is True
    assert knowledge({"phone_last_four": "3731", "postcode": "kw17 2qj"}).json()["verified"]
    assert knowledge({"phone_last_four": "5519", "date_of_birth": "29/08/1947"}).status_code == 200
    # An unreadable answer is a problem naming the answer, never echoing it.
    assert knowledge({"date_of_birth": "31/02/1952", "postcode": "ZE2 9AE"}).status_code == 422
    assert otc(channel="email").status_code == 200
    assert otc(channel="sms", who=supervisor).status_code == 429  # too soon after the last
    clock.advance(timedelta(seconds=61))
    assert otc(channel="sms").status_code == 200
    sent = code_sent(container, customer_id)
    assert otc(code=sent).json()["verified"] is True
    assert otc(code=sent).json()["verified"] is False  # used: a failure, the third
    assert otc(code="12345").status_code == 422
    # Failures to the lockout: the third within the window locks, then everything is 423.
    statuses = [
        knowledge({"date_of_birth": "11/02/1952", "postcode": "ZE2 9AE"}).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 423 or 423 in statuses
    assert knowledge({**RIGHT}).status_code == 423
    assert otc(channel="email").status_code == 423
    seen.add(client.get(url, headers=agent))
    seen.add(client.get("/api/v1/review-queue/lockouts", headers=supervisor))

    assert_clean(seen.texts, canaries)
    assert_clean([(r.name, r.getMessage()) for r in caplog.records], canaries)
    assert_clean(audit_texts(container), canaries)


def test_the_web_panel_and_tell_page_never_show_a_held_value_or_a_stated_answer(
    signed_in, canary, container, clock, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    customer_id, canaries = canary
    seen = Scanned()
    agent = signed_in("agent")
    panel = f"/customers/{customer_id}/verify?purpose=service"

    def page(path=panel):
        return seen.add(agent.get(path))

    def post(path, **form):
        token = csrf_of(agent.get(panel).text)
        return seen.add(agent.post(path, data={"csrf_token": token, "purpose": "service", **form}))

    check = f"/customers/{customer_id}/verify"
    page()
    assert (
        "Not verified"
        in post(check, answer_date_of_birth="11/02/1952", answer_postcode="ZE2 9AE").text
    )
    assert (
        post(check, answer_date_of_birth="31/02/1952", answer_postcode="ZE2 9AE").status_code == 422
    )
    page(f"/customers/{customer_id}/tell?purpose=service")  # not verified: refused on the page
    assert (
        "Verified."
        in post(check, answer_date_of_birth="29 August 1947", answer_phone_last_four="3731").text
    )
    page(f"/customers/{customer_id}/tell?purpose=service")
    assert "Code sent" in post(f"{check}/code/send", channel="sms").text
    assert "No code sent" in post(f"{check}/code/send", channel="email").text
    wrong = "000000" if code_sent(container, customer_id) != "000000" else "111111"
    assert "Not verified" in post(f"{check}/code", one_time_code=wrong).text
    assert (
        "Verified." in post(f"{check}/code", one_time_code=code_sent(container, customer_id)).text
    )
    assert post(f"{check}/code", one_time_code="12 34").status_code == 422
    clock.advance(timedelta(seconds=1))
    for _ in range(3):
        last = post(check, answer_date_of_birth="11/02/1952", answer_postcode="ZE2 9AE")
    assert "Checks are locked" in last.text
    assert (
        "Checks are locked"
        in post(check, **{"answer_date_of_birth": "29/08/1947", "answer_postcode": "KW17 2QJ"}).text
    )
    page()
    supervisor = signed_in("supervisor")
    seen.add(supervisor.get("/review"))

    assert_clean(seen.texts, canaries)
    assert_clean([(r.name, r.getMessage()) for r in caplog.records], canaries)
    assert_clean(audit_texts(container), canaries)
