"""Attacks on what issue 10 added, over the REST API: ids from another customer or another
member of staff in the paths and bodies, a representative whose authority ended after they
were verified, a representative acting outside their scope, roles without the capability,
and ids with odd characters or huge lengths. Every refusal is a problem and tells nothing."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

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
GRACE = {
    "given_name": "Grace",
    "family_name": "Hopper",
    "email": "grace@example.net",
    "phone": "020 7946 0555",
    "postcode": "EC1A 1BB",
    "date_of_birth": "1976-12-09",
}
HELD = ("ada@example.com", "SW1A 1AA", "1979-03-14", "7946 0018", "+442079460018")
HELD_GRACE = ("grace@example.net", "EC1A 1BB", "1976-12-09", "0555")
THEIRS = {"date_of_birth": "1961-07-02", "postcode": "YO31 7QZ"}
ADAS = {"date_of_birth": "1979-03-14", "postcode": "SW1A 1AA"}
ASK = {
    "requester": "DC Sam Example",
    "organisation": "Example Constabulary",
    "identity_check": "called back on the switchboard",
    "basis": "crime_and_taxation",
    "reason": "a fraud inquiry",
}


def register(client, tokens, fields) -> str:
    made = client.post(
        "/api/v1/customers",
        json={"purpose": "service", "fields": fields, "source": "phone"},
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


@pytest.fixture
def ada(client, tokens) -> str:
    return register(client, tokens, ADA)


@pytest.fixture
def grace(client, tokens) -> str:
    return register(client, tokens, GRACE)


def record_rep(client, tokens, customer_id, *, fields=("email",), actions=("disclose",), **extra):
    made = client.post(
        f"/api/v1/customers/{customer_id}/representatives",
        json={
            "name": "Ann Other",
            "relationship": "daughter",
            "authority": "lasting_power_of_attorney",
            "evidence_seen": "the registered LPA",
            "scope": {"fields": list(fields), "actions": list(actions)},
            "answers": THEIRS,
        }
        | extra,
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return made.json()["representative_id"]


def decide_rep(client, tokens, customer_id, rep_id, decision, role="supervisor"):
    return client.post(
        f"/api/v1/customers/{customer_id}/representatives/{rep_id}/decision",
        json={"decision": decision, "reason": "LPA checked with the OPG"},
        headers=bearer(tokens[role]),
    )


def approved_rep(client, tokens, customer_id, **kwargs) -> str:
    rep_id = record_rep(client, tokens, customer_id, **kwargs)
    assert decide_rep(client, tokens, customer_id, rep_id, "approve").status_code == 200
    return rep_id


def verify(client, token, customer_id, body):
    return client.post(
        f"/api/v1/customers/{customer_id}/verifications", json=body, headers=bearer(token)
    )


def verified_rep(client, tokens, customer_id, rep_id, role="agent") -> str:
    done = verify(
        client,
        tokens[role],
        customer_id,
        {"method": "representative", "representative_id": rep_id, "answers": THEIRS},
    )
    assert done.status_code == 200 and done.json()["verified"] is True, done.text
    return done.json()["verification_id"]


def verified_customer(client, tokens, customer_id, answers=ADAS, role="agent") -> str:
    done = verify(client, tokens[role], customer_id, {"method": "knowledge", "answers": answers})
    assert done.status_code == 200 and done.json()["verified"] is True, done.text
    return done.json()["verification_id"]


def disclose(client, token, customer_id, fields, *, channel="phone", **rests_on):
    return client.post(
        f"/api/v1/customers/{customer_id}/disclosures",
        json={"fields": fields, "channel": channel, "recipient": "the caller", **rests_on},
        headers=bearer(token),
    )


def patch_for_caller(client, token, customer_id, verification_id, fields):
    return client.patch(
        f"/api/v1/customers/{customer_id}",
        json={
            "purpose": "service",
            "fields": fields,
            "reason": "the caller asked",
            "on_behalf_of_customer": True,
            "verification_id": verification_id,
        },
        headers=bearer(token),
    )


def request_for(client, tokens, customer_id, fields=("email",)) -> str:
    made = client.post(
        "/api/v1/third-party-requests",
        json={"customer_id": customer_id, **ASK, "fields": list(fields)},
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def approve_request(client, tokens, request_id, role="supervisor"):
    return client.post(
        f"/api/v1/third-party-requests/{request_id}/decision",
        json={"decision": "approve", "reason": "crime number checked"},
        headers=bearer(tokens[role]),
    )


def is_quiet_problem(answer, status: int, *held: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    for value in (*HELD, *HELD_GRACE, *THEIRS.values(), *held):
        assert value not in answer.text, value


def rep_status(client, tokens, customer_id, rep_id) -> str:
    listed = client.get(
        f"/api/v1/customers/{customer_id}/representatives", headers=bearer(tokens["agent"])
    )
    return next(r["status"] for r in listed.json()["items"] if r["id"] == rep_id)


# Mismatched paths: customer A's path with customer B's ids.


def test_a_representative_of_another_customer_is_not_found_under_this_one(
    client, tokens, ada, grace
) -> None:
    graces = record_rep(client, tokens, grace)
    answer = decide_rep(client, tokens, ada, graces, "approve")
    is_quiet_problem(answer, 404)
    assert rep_status(client, tokens, grace, graces) == "pending"

    assert decide_rep(client, tokens, grace, graces, "approve").status_code == 200
    for decision in ("revoke", "refuse"):
        is_quiet_problem(decide_rep(client, tokens, ada, graces, decision), 404)
    assert rep_status(client, tokens, grace, graces) == "approved"
    # Nor can Grace's representative be verified as Ada's, whatever they answer.
    checked = verify(
        client,
        tokens["agent"],
        ada,
        {"method": "representative", "representative_id": graces, "answers": THEIRS},
    )
    is_quiet_problem(checked, 404)


def test_another_customers_verification_or_request_tells_nothing_and_changes_nothing(
    client, tokens, ada, grace, container
) -> None:
    graces_check = verified_customer(
        client, tokens, grace, {"date_of_birth": "1976-12-09", "postcode": "EC1A 1BB"}
    )
    is_quiet_problem(
        disclose(client, tokens["agent"], ada, ["email"], verification_id=graces_check), 403
    )
    is_quiet_problem(
        patch_for_caller(client, tokens["agent"], ada, graces_check, {"email": "x@example.org"}),
        403,
        "x@example.org",
    )
    graces_request = request_for(client, tokens, grace)
    assert approve_request(client, tokens, graces_request).status_code == 200
    is_quiet_problem(
        disclose(client, tokens["agent"], ada, ["email"], request_id=graces_request), 403
    )
    # Both, or the request under another purpose, are refused before anything is read.
    both = disclose(
        client,
        tokens["agent"],
        grace,
        ["email"],
        request_id=graces_request,
        verification_id=graces_check,
    )
    is_quiet_problem(both, 422)
    with container.uow().reading() as uow:
        assert uow.customers.get(ada).value("email") == "ada@example.com"
        assert uow.disclosures.for_customer(ada) == []
        assert uow.third_party_requests.get(graces_request).disclosure_id is None


def test_another_members_verification_and_disclosure_are_theirs_alone(
    client, tokens, ada, grace
) -> None:
    agents = verified_customer(client, tokens, ada)
    is_quiet_problem(
        disclose(client, tokens["supervisor"], ada, ["email"], verification_id=agents), 403
    )
    is_quiet_problem(
        patch_for_caller(client, tokens["supervisor"], ada, agents, {"email": "x@example.org"}),
        403,
        "x@example.org",
    )
    told = disclose(
        client, tokens["agent"], ada, ["email"], channel="email", verification_id=agents
    )
    assert told.status_code == 200, told.text
    dis = told.json()["disclosure_id"]
    for role in ("supervisor", "dpo"):
        is_quiet_problem(
            client.get(
                f"/api/v1/customers/{ada}/disclosures/{dis}/letter", headers=bearer(tokens[role])
            ),
            404,
        )
        is_quiet_problem(
            client.post(
                f"/api/v1/customers/{ada}/disclosures/{dis}/email", headers=bearer(tokens[role])
            ),
            404,
        )
    # The maker, under another customer's path, is not found either.
    for answer in (
        client.get(
            f"/api/v1/customers/{grace}/disclosures/{dis}/letter", headers=bearer(tokens["agent"])
        ),
        client.post(
            f"/api/v1/customers/{grace}/disclosures/{dis}/email", headers=bearer(tokens["agent"])
        ),
    ):
        is_quiet_problem(answer, 404)


# Roles without the capability.


def test_an_agent_neither_reads_the_queue_nor_decides(client, tokens, ada, container) -> None:
    request_id = request_for(client, tokens, ada)
    is_quiet_problem(
        client.get("/api/v1/third-party-requests", headers=bearer(tokens["agent"])), 403
    )
    for status in ("approved", "disclosed", "refused"):
        is_quiet_problem(
            client.get(
                "/api/v1/third-party-requests",
                params={"status": status},
                headers=bearer(tokens["agent"]),
            ),
            403,
        )
    # Recorded by the supervisor, so four eyes is not what stops the agent.
    rep_id = client.post(
        f"/api/v1/customers/{ada}/representatives",
        json={
            "name": "Ann Other",
            "relationship": "daughter",
            "authority": "deputyship",
            "evidence_seen": "the court order",
            "scope": {"fields": ["email"], "actions": ["disclose"]},
            "answers": THEIRS,
        },
        headers=bearer(tokens["supervisor"]),
    ).json()["representative_id"]
    is_quiet_problem(decide_rep(client, tokens, ada, rep_id, "approve", role="agent"), 403)
    is_quiet_problem(approve_request(client, tokens, request_id, role="agent"), 403)
    # The admin sees no customer data at all.
    is_quiet_problem(decide_rep(client, tokens, ada, rep_id, "approve", role="admin"), 403)
    is_quiet_problem(approve_request(client, tokens, request_id, role="admin"), 403)
    is_quiet_problem(
        client.get(f"/api/v1/third-party-requests/{request_id}", headers=bearer(tokens["admin"])),
        403,
    )
    assert rep_status(client, tokens, ada, rep_id) == "pending"
    with container.uow().reading() as uow:
        assert uow.third_party_requests.get(request_id).status.value == "pending"
    refused = [
        e.entry.outcome
        for e in audit_events(container, None)
        if e.entry.action
        in (
            "third_party_request.decided",
            "customer.representative_decided",
            "third_party_requests.listed",
        )
    ]
    assert refused and set(refused) == {"denied"}


# A representative whose authority ended after they were verified.


def test_a_revoked_representatives_earlier_check_no_longer_tells_changes_or_prints(
    client, tokens, ada, container
) -> None:
    rep_id = approved_rep(client, tokens, ada, actions=("disclose", "update"))
    ver = verified_rep(client, tokens, ada, rep_id)
    told = disclose(client, tokens["agent"], ada, ["email"], verification_id=ver)
    assert told.status_code == 200, told.text
    dis = told.json()["disclosure_id"]
    assert decide_rep(client, tokens, ada, rep_id, "revoke").status_code == 200

    is_quiet_problem(disclose(client, tokens["agent"], ada, ["email"], verification_id=ver), 403)
    is_quiet_problem(
        patch_for_caller(client, tokens["agent"], ada, ver, {"email": "ann@example.org"}),
        403,
        "ann@example.org",
    )
    is_quiet_problem(
        client.get(
            f"/api/v1/customers/{ada}/disclosures/{dis}/letter", headers=bearer(tokens["agent"])
        ),
        403,
    )
    with container.uow().reading() as uow:
        assert uow.customers.get(ada).value("email") == "ada@example.com"
        assert len(uow.disclosures.for_customer(ada)) == 1


def test_an_expired_representatives_earlier_check_no_longer_tells_or_changes(
    client, tokens, ada, container
) -> None:
    today = container.clock.now().date()
    rep_id = approved_rep(
        client, tokens, ada, actions=("disclose", "update"), expires_on=today.isoformat()
    )
    # Verified five minutes before their authority ends; the check itself lasts 15 minutes.
    start = container.clock.now()
    end = start.replace(hour=0, minute=0, second=0, microsecond=0) + timedelta(days=1)
    container.clock.advance(end - start - timedelta(minutes=5))
    ver = verified_rep(client, tokens, ada, rep_id)
    assert disclose(client, tokens["agent"], ada, ["email"], verification_id=ver).status_code == 200
    container.clock.advance(timedelta(minutes=6))

    is_quiet_problem(disclose(client, tokens["agent"], ada, ["email"], verification_id=ver), 403)
    is_quiet_problem(
        patch_for_caller(client, tokens["agent"], ada, ver, {"email": "ann@example.org"}),
        403,
        "ann@example.org",
    )
    with container.uow().reading() as uow:
        assert uow.customers.get(ada).value("email") == "ada@example.com"


# A representative acting outside their scope.


def test_a_representative_changes_only_the_fields_and_actions_of_their_scope(
    client, tokens, ada, container
) -> None:
    tells_only = verified_rep(client, tokens, ada, approved_rep(client, tokens, ada))
    is_quiet_problem(
        patch_for_caller(client, tokens["agent"], ada, tells_only, {"email": "ann@example.org"}),
        403,
        "ann@example.org",
    )
    changes_email = verified_rep(
        client, tokens, ada, approved_rep(client, tokens, ada, actions=("update",))
    )
    for fields in (
        {"phone": "020 7946 0999"},
        {"email": "ann@example.org", "postcode": "YO1 7HH"},
        {"date_of_birth": None},
        {"email": "ann@example.org", "given_name": "Adah"},
    ):
        answer = patch_for_caller(client, tokens["agent"], ada, changes_email, fields)
        is_quiet_problem(answer, 403, "ann@example.org", "0999", "YO1 7HH")
    # Nor tell the email they may change but not disclose.
    is_quiet_problem(
        disclose(client, tokens["agent"], ada, ["email"], verification_id=changes_email), 403
    )
    with container.uow().reading() as uow:
        held = uow.customers.get(ada)
    assert held.value("email") == "ada@example.com" and held.value("given_name") == "Ada"
    assert held.value("date_of_birth") == "1979-03-14"
    done = patch_for_caller(
        client, tokens["agent"], ada, changes_email, {"email": "ann@example.org"}
    )
    assert done.status_code == 200, done.text
    [event] = [
        e for e in audit_events(container, "customer.updated", ada) if e.entry.outcome == "success"
    ]
    assert event.entry.detail["verification_id"] == changes_email


# Odd ids in paths and bodies.

ODD_IDS = [
    # PostgreSQL takes no U+0000 in text: each was a 500 there before it was answered as bad input.
    "%00",
    "cus_\x00",
    "rep_" + "a" * 10_000,
    "tpr_" + "z" * 5_000,
    "dis_\u202e\u0000x",
    "..%2F..%2Fetc%2Fpasswd",
    "' OR 1=1 --",
    "\U0001f600" * 50,
    "cus_" + "%" * 3,
]


@pytest.mark.parametrize("odd", ODD_IDS)
def test_odd_ids_in_paths_and_bodies_are_problems(client, tokens, ada, odd) -> None:
    part = quote(odd, safe="")
    cases = [
        (
            "supervisor",
            "POST",
            f"/api/v1/customers/{ada}/representatives/{part}/decision",
            {"decision": "approve", "reason": "ok"},
        ),
        (
            "supervisor",
            "POST",
            f"/api/v1/customers/{part}/representatives/rep_x/decision",
            {"decision": "approve", "reason": "ok"},
        ),
        ("agent", "GET", f"/api/v1/customers/{part}/representatives", None),
        (
            "agent",
            "POST",
            f"/api/v1/customers/{part}/representatives",
            {
                "name": "A",
                "relationship": "b",
                "authority": "deputyship",
                "evidence_seen": "c",
                "scope": {"fields": ["email"], "actions": ["disclose"]},
                "answers": THEIRS,
            },
        ),
        ("agent", "GET", f"/api/v1/third-party-requests/{part}", None),
        (
            "supervisor",
            "POST",
            f"/api/v1/third-party-requests/{part}/decision",
            {"decision": "approve", "reason": "ok"},
        ),
        ("agent", "GET", f"/api/v1/customers/{part}/third-party-requests", None),
        ("agent", "GET", f"/api/v1/customers/{ada}/disclosures/{part}/letter", None),
        ("agent", "POST", f"/api/v1/customers/{ada}/disclosures/{part}/email", None),
        (
            "agent",
            "POST",
            f"/api/v1/customers/{ada}/verifications",
            {"method": "representative", "representative_id": odd[:64], "answers": THEIRS},
        ),
        (
            "agent",
            "POST",
            f"/api/v1/customers/{ada}/disclosures",
            {"request_id": odd[:64], "fields": ["email"], "channel": "phone", "recipient": "x"},
        ),
        (
            "agent",
            "POST",
            f"/api/v1/customers/{ada}/disclosures",
            {
                "verification_id": odd[:64],
                "fields": ["email"],
                "channel": "phone",
                "recipient": "x",
            },
        ),
        (
            "agent",
            "PATCH",
            f"/api/v1/customers/{ada}",
            {
                "purpose": "service",
                "fields": {"email": "x@example.org"},
                "reason": "asked",
                "on_behalf_of_customer": True,
                "verification_id": odd[:64],
            },
        ),
        (
            "agent",
            "POST",
            "/api/v1/third-party-requests",
            {"customer_id": odd[:64], **ASK, "fields": ["email"]},
        ),
        ("supervisor", "GET", "/api/v1/third-party-requests", {"cursor": odd[:200]}),
    ]
    for role, method, path, body in cases:
        if method == "GET":
            answer = client.get(path, params=body or {}, headers=bearer(tokens[role]))
        else:
            answer = client.request(method, path, json=body, headers=bearer(tokens[role]))
        assert 400 <= answer.status_code < 500, (method, path, answer.status_code, answer.text)
        assert answer.headers["content-type"].startswith("application/problem+json")
        assert odd[:32] not in answer.text or odd == "%00"
        for value in HELD:
            assert value not in answer.text


def test_a_cursor_hiding_a_nul_character_is_a_problem(client, tokens) -> None:
    """A cursor decodes to a time and a request id; one whose id holds U+0000 passed the
    cursor's own check and reached the database (a 500 on PostgreSQL)."""
    import base64

    forged = base64.urlsafe_b64encode(b"2026-01-01T00:00:00+00:00|tpr_\x00").decode()
    answer = client.get(
        "/api/v1/third-party-requests",
        params={"cursor": forged.rstrip("=")},
        headers=bearer(tokens["supervisor"]),
    )
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
