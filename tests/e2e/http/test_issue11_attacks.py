"""Attacks on what issue 11 added, over the REST API: another customer's (or a merged
customer's) ids in paths and bodies, every role and purpose against the timeline, the queues,
the board, the lists and the reports, card numbers typed with odd separators or hidden in a
complaint or a comment, control characters, times at the ends of the calendar, tampered
cursors and wrong types in every body field. Every refusal is an RFC 9457 problem naming the
field, never a 500, and never quotes what was sent."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from clientkeep import bootstrap
from clientkeep.adapters.http.app import create_app
from clientkeep.adapters.passwords import Argon2PasswordHasher
from clientkeep.shared.actor import Actor
from clientkeep.shared.uk_time import uk_date
from clientkeep.staff import services as staff_services
from tests.conftest import PASSWORD
from tests.e2e.conftest import bearer
from tests.integration.record_kinds._storage import audit_events

SECRET = "Zanzibar"  # typed in a refused request: it must never come back
CONTACT = {
    "channel": "phone",
    "category": "enquiry",
    "nature": "asked about the bill",
    "actions_taken": "explained the charges",
}
CASE = {"type": "general", "summary": "Charged twice in November", "channel": "phone"}
CHECKLIST = {"listened": True, "apologised": True, "solution_offered": True, "thanked": True}


def register(client, token, given: str, purpose: str = "complaints") -> str:
    made = client.post(
        "/api/v1/customers",
        json={
            "purpose": purpose,
            "fields": {"given_name": given, "family_name": "Lovelace", "email": "a@example.com"},
            "source": "phone",
        },
        headers=bearer(token),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


@pytest.fixture
def ada(client, tokens) -> str:
    return register(client, tokens["agent"], "Ada")


@pytest.fixture
def grace(client, tokens) -> str:
    return register(client, tokens["agent"], "Grace")


def contact(client, token, customer_id, **extra) -> str:
    made = client.post(
        f"/api/v1/customers/{customer_id}/interactions",
        json={**CONTACT, **extra},
        headers=bearer(token),
    )
    assert made.status_code == 201, made.text
    return made.json()["interaction_id"]


def case(client, token, customer_id, **extra) -> str:
    made = client.post(
        "/api/v1/complaints",
        json={"customer_id": customer_id, **CASE, **extra},
        headers=bearer(token),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def is_problem(answer, status: int, field: str | None = None, *quiet: str) -> dict:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    for value in (SECRET, *quiet):
        assert value not in answer.text, value
    body = answer.json()
    if field is not None:
        assert field in {e["field"].split(".")[-1] for e in body.get("errors", [])}, body
    return body


def follow_up(client, token, customer_id, container) -> str:
    due = uk_date(container.clock.now()) + timedelta(days=2)
    return contact(client, token, customer_id, outcome="follow_up", follow_up_due=due.isoformat())


# -- another customer's ids ------------------------------------------------------------------


def test_another_customers_contact_cannot_be_corrected_closed_rated_or_complained_of(
    client, tokens, ada, grace, container
) -> None:
    agent = bearer(tokens["agent"])
    graces = follow_up(client, tokens["agent"], grace, container)
    corrected = client.post(
        f"/api/v1/customers/{ada}/interactions/{graces}/corrections",
        json={"reason": f"typo {SECRET}", "nature": SECRET},
        headers=agent,
    )
    is_problem(corrected, 404)
    closed = client.post(
        f"/api/v1/customers/{ada}/interactions",
        json={**CONTACT, "follows_up": graces},
        headers=agent,
    )
    is_problem(closed, 422, "follows_up", graces)
    rated = client.post(
        f"/api/v1/customers/{ada}/feedback",
        json={"csat": 5, "interaction_id": graces},
        headers=agent,
    )
    is_problem(rated, 422, "interaction_id", graces)
    asked = client.post(
        f"/api/v1/customers/{ada}/feedback-requests",
        json={"interaction_id": graces, "purpose": "service"},
        headers=agent,
    )
    is_problem(asked, 422, "interaction_id", graces)
    complained = client.post(
        "/api/v1/complaints",
        json={"customer_id": ada, **CASE, "interaction_id": graces},
        headers=agent,
    )
    is_problem(complained, 422, "interaction_id", graces)
    # Grace's follow-up is still open, uncorrected, rated by no one.
    queue = client.get("/api/v1/follow-ups", params={"owner": "team"}, headers=agent).json()
    assert [i["interaction_id"] for i in queue["items"]] == [graces]
    assert client.get(f"/api/v1/customers/{ada}/feedback", headers=agent).json()["items"] == []
    _the_board_and_the_team_queue_are_audited_naming_every_customer_shown(
        client, tokens, ada, grace, container
    )


def test_a_merged_customers_ids_lead_to_the_survivor_and_nothing_lands_on_the_tombstone(
    client, tokens, container, personas
) -> None:
    supervisor = bearer(tokens["supervisor"])
    survivor = register(client, tokens["agent"], "Ada", purpose="service")
    duplicate = register(client, tokens["agent"], "Adah", purpose="service")
    old = contact(client, tokens["agent"], duplicate)
    case_id = case(client, tokens["agent"], duplicate)
    digest = client.post(
        f"/api/v1/customers/{survivor}/merge/preview",
        json={"duplicate_id": duplicate},
        headers=supervisor,
    ).json()["preview_digest"]
    merged = client.post(
        f"/api/v1/customers/{survivor}/merge",
        json={"duplicate_id": duplicate, "reason": "same person", "preview_digest": digest},
        headers=supervisor,
    )
    assert merged.status_code == 200, merged.text
    for answer in (
        client.post(
            f"/api/v1/customers/{duplicate}/interactions", json=CONTACT, headers=supervisor
        ),
        client.post(
            f"/api/v1/customers/{duplicate}/interactions/{old}/corrections",
            json={"reason": "typo", "nature": "fixed"},
            headers=supervisor,
        ),
        client.post(
            f"/api/v1/customers/{duplicate}/feedback", json={"csat": 3}, headers=supervisor
        ),
        client.post(
            "/api/v1/complaints", json={"customer_id": duplicate, **CASE}, headers=supervisor
        ),
        client.get(f"/api/v1/customers/{duplicate}/interactions", headers=supervisor),
    ):
        assert answer.status_code in (404, 409, 410), answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
    # The moved rows answer under the survivor.
    fixed = client.post(
        f"/api/v1/customers/{survivor}/interactions/{old}/corrections",
        json={"reason": "typo", "nature": "fixed"},
        headers=supervisor,
    )
    assert fixed.status_code == 201, fixed.text
    read = client.get(f"/api/v1/complaints/{case_id}", headers=supervisor).json()
    assert read["customer_id"] == survivor and read["details"]["summary"] == CASE["summary"]


# -- roles and purposes ----------------------------------------------------------------------


def test_the_admin_sees_no_contact_complaint_or_feedback_and_reports_need_reports_read(
    client, tokens, ada, container
) -> None:
    admin = bearer(tokens["admin"])
    iid = contact(client, tokens["agent"], ada)
    cid = case(client, tokens["agent"], ada)
    for answer in (
        client.get(f"/api/v1/customers/{ada}/interactions", headers=admin),
        client.post(f"/api/v1/customers/{ada}/interactions", json=CONTACT, headers=admin),
        client.post(
            f"/api/v1/customers/{ada}/interactions/{iid}/corrections",
            json={"reason": "x", "nature": "y"},
            headers=admin,
        ),
        client.get("/api/v1/follow-ups", params={"owner": "team"}, headers=admin),
        client.get("/api/v1/complaints", headers=admin),
        client.get(f"/api/v1/complaints/{cid}", headers=admin),
        client.post(f"/api/v1/complaints/{cid}/steps", json={"step": "acknowledge"}, headers=admin),
        client.get(f"/api/v1/complaints/{cid}/final-response", headers=admin),
        client.get(f"/api/v1/customers/{ada}/complaints", headers=admin),
        client.get(f"/api/v1/customers/{ada}/feedback", headers=admin),
        client.post(f"/api/v1/customers/{ada}/feedback", json={"csat": 4}, headers=admin),
        client.get("/api/v1/reports/complaints", headers=admin),
        client.get("/api/v1/reports/satisfaction", headers=admin),
    ):
        is_problem(answer, 403, None, CASE["summary"], "Ada")
    _reports_need_reports_read_and_show_no_customer(client, tokens, ada)


def _reports_need_reports_read_and_show_no_customer(client, tokens, ada) -> None:
    case(client, tokens["agent"], ada)
    client.post(
        f"/api/v1/customers/{ada}/feedback",
        json={"csat": 2, "comment": "the Ada comment"},
        headers=bearer(tokens["agent"]),
    )
    for path in ("/api/v1/reports/complaints", "/api/v1/reports/satisfaction"):
        for fmt in ("json", "csv"):
            is_problem(
                client.get(path, params={"format": fmt}, headers=bearer(tokens["agent"])), 403
            )
            for role in ("supervisor", "dpo"):
                shown = client.get(path, params={"format": fmt}, headers=bearer(tokens[role]))
                assert shown.status_code == 200
                for value in (ada, "Ada", "comment", CASE["summary"]):
                    assert value not in shown.text


KINDS_BY_PURPOSE = {
    "service": {"interaction", "feedback"},
    "billing": {"interaction"},
    "complaints": {"interaction", "feedback", "complaint"},
    "marketing": set(),
}


def test_each_purpose_shows_only_the_records_whose_notes_field_it_shows(
    client, tokens, ada, container
) -> None:
    agent, supervisor = bearer(tokens["agent"]), bearer(tokens["supervisor"])
    contact(client, tokens["agent"], ada, nature="the contact words")
    cid = case(client, tokens["agent"], ada)
    client.post(
        f"/api/v1/customers/{ada}/feedback",
        json={"csat": 2, "comment": "the feedback words", "purpose": "service"},
        headers=agent,
    )
    words = {
        "interaction": "the contact words",
        "feedback": "the feedback words",
        "complaint": CASE["summary"],
    }
    notes = {
        "interaction": "contact_notes",
        "feedback": "feedback",
        "complaint": "complaint_details",
    }
    for purpose, kinds in KINDS_BY_PURPOSE.items():
        asked = {"params": {"purpose": purpose}, "headers": supervisor}
        page = client.get(f"/api/v1/customers/{ada}/interactions", **asked)
        assert page.status_code == 200, page.text
        shown = {i["kind"] for i in page.json()["items"]} - {"field_change", "verification"}
        assert shown == kinds, purpose
        for kind, text in words.items():
            assert (text in page.text) == (kind in kinds), (purpose, kind)
        listed = client.get(f"/api/v1/customers/{ada}/feedback", **asked).json()
        assert listed["shown"] == ("feedback" in kinds) == bool(listed["items"]), purpose
        cases = client.get(f"/api/v1/customers/{ada}/complaints", **asked).json()["items"]
        # A case is listed, words and all, only where the complaint details are shown.
        assert [c["id"] for c in cases] == ([cid] if "complaint" in kinds else []), purpose
        assert all(c["details"] is not None for c in cases), purpose
        # The read's audit event names the notes fields it showed, and only those.
        [read] = [
            e
            for e in audit_events(container, "customer.timeline_read", ada)
            if e.entry.purpose == purpose
        ]
        named = set(read.entry.fields) & set(notes.values())
        assert named == {notes[k] for k in kinds}, purpose


def _the_board_and_the_team_queue_are_audited_naming_every_customer_shown(
    client, tokens, ada, grace, container
) -> None:
    agent = bearer(tokens["agent"])
    for who in (ada, grace):
        case(client, tokens["agent"], who)
        follow_up(client, tokens["agent"], who, container)
    board = client.get("/api/v1/complaints", headers=agent).json()["items"]
    assert {c["customer_id"] for c in board} == {ada, grace}
    team = client.get("/api/v1/follow-ups", params={"owner": "team"}, headers=agent)
    assert {i["customer_id"] for i in team.json()["items"]} == {ada, grace}
    for action in ("complaints.board_read", "interaction.follow_ups_read"):
        for who in (ada, grace):
            assert audit_events(container, action, who), (action, who)


# -- bad input -------------------------------------------------------------------------------

CARDS = {
    "dots": "4111.1111.1111.1111",
    "two spaces": "4111  1111  1111  1111",
    "no-break spaces": "4111\u00a01111\u00a01111\u00a01111",
    "thin spaces": "4111\u20091111\u20091111\u20091111",
    "ideographic spaces": "4111\u30001111\u30001111\u30001111",
    "en dashes": "4111\u20131111\u20131111\u20131111",
    "spaced dashes": "4111 - 1111 - 1111 - 1111",
    "slashes": "4111/1111/1111/1111",
    "underscores": "4111_1111_1111_1111",
    "tabs": "4111\t1111\t1111\t1111",
    "line breaks": "4111\n1111\n1111\n1111",
    "fullwidth digits and dashes": "".join(
        "\uff0d" if c == "-" else chr(0xFF10 + int(c)) for c in "4111-1111-1111-1111"
    ),
    "a dash before it": "-4111111111111111",
    "mathematical digits": "".join(chr(0x1D7CE + int(d)) for d in "4111111111111111"),
}


def test_a_card_number_typed_any_way_is_caught_and_only_its_redaction_is_saved(
    client, tokens, ada
) -> None:
    url, agent = f"/api/v1/customers/{ada}/interactions", bearer(tokens["agent"])
    for how, card in CARDS.items():
        body = {**CONTACT, "nature": f"paid by card{card} today"}
        refused = client.post(url, json=body, headers=agent)
        problem = is_problem(refused, 422, "nature", card, card[-4:] * 2)
        start = len("paid by card") + len(card) - len(card.lstrip("-"))
        assert [(h["kind"], h["start"]) for h in problem["hits"]] == [("card", start)], how
        kept = client.post(url, json={**body, "keep": ["card"]}, headers=agent)
        is_problem(kept, 422, "keep")
        saved = client.post(url, json={**body, "redact": True}, headers=agent)
        assert saved.status_code == 201 and saved.json()["redacted"] == ["card"], how
    timeline = client.get(url, params={"limit": 200}, headers=agent).text
    assert timeline.count("[card number removed] today") == len(CARDS)
    assert not any(card.lstrip("-") in timeline for card in CARDS.values())
    _a_note_of_thousands_of_digit_groups_is_checked_in_moments(client, tokens, ada)


def _a_note_of_thousands_of_digit_groups_is_checked_in_moments(client, tokens, ada) -> None:
    url, agent = f"/api/v1/customers/{ada}/interactions", bearer(tokens["agent"])
    started = time.perf_counter()
    for note in ("1 " * 1999 + "1", "12." * 1333):
        answer = client.post(url, json={**CONTACT, "nature": note}, headers=agent)
        assert answer.status_code == 201, answer.text
    # Checked every stretch of every group before: minutes of one worker's time per note.
    assert time.perf_counter() - started < 5


def test_complaint_and_feedback_words_and_times_are_checked_as_strictly_as_a_contacts(
    client, tokens, ada, container, personas
) -> None:
    agent = bearer(tokens["agent"])
    card = "4111 1111 1111 1111"
    opened = client.post(
        "/api/v1/complaints",
        json={"customer_id": ada, **CASE, "summary": f"charged {card}"},
        headers=agent,
    )
    is_problem(opened, 422, "summary", card)
    wanted = client.post(
        "/api/v1/complaints",
        json={"customer_id": ada, **CASE, "desired_outcome": f"my password is {SECRET}"},
        headers=agent,
    )
    is_problem(wanted, 422, "desired_outcome")
    cid = case(client, tokens["agent"], ada)
    steps = f"/api/v1/complaints/{cid}/steps"
    is_problem(
        client.post(steps, json={"step": "note", "note": f"card {card}"}, headers=agent),
        422,
        "note",
        card,
    )
    resolved = client.post(
        steps,
        json={
            "step": "resolve",
            "resolution": f"refunded to 4111-1111-1111-1111 {SECRET}",
            "checklist": CHECKLIST,
            "customer_accepted": "yes",
        },
        headers=agent,
    )
    is_problem(resolved, 422, "resolution", "4111-1111")
    rated = client.post(
        f"/api/v1/customers/{ada}/feedback",
        json={"csat": 1, "comment": f"take it from {card}"},
        headers=agent,
    )
    is_problem(rated, 422, "comment", card)
    assert client.get(f"/api/v1/customers/{ada}/feedback", headers=agent).json()["items"] == []
    read = client.get(f"/api/v1/complaints/{cid}", headers=agent).json()
    assert read["state"] == "received" and [s["step"] for s in read["steps"]] == ["opened"]
    _a_feedback_comment_with_a_control_or_invisible_character_is_refused(client, tokens, ada)
    _complaint_received_at_takes_an_offset_and_stays_within_the_last_year(
        client, tokens, ada, container
    )
    _feedback_at_the_ends_of_the_calendar_is_a_problem_on_at(client, tokens, ada)
    _a_follow_up_cannot_be_put_in_a_disabled_members_queue(client, tokens, ada, container, personas)


def _a_feedback_comment_with_a_control_or_invisible_character_is_refused(
    client, tokens, ada
) -> None:
    for comment in ("a\x1bb", "right\u202eto left", "zero\u200bwidth", "bell\x07", "nul\x00"):
        rated = client.post(
            f"/api/v1/customers/{ada}/feedback",
            json={"csat": 4, "comment": f"{SECRET} {comment}"},
            headers=bearer(tokens["agent"]),
        )
        problem = is_problem(rated, 422, "comment")
        assert "U+" in problem["errors"][0]["message"]


def _cursor(*parts: str) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def _pipe_cursor(at: str, row_id: str) -> str:
    return base64.urlsafe_b64encode(f"{at}|{row_id}".encode()).decode().rstrip("=")


EDGES_OF_TIME = ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00")


TAMPERED = (
    "!!!!",
    "bnVsbA",
    _cursor("2026-11-23T09:30:00", "int_x"),
    _cursor("x", "y"),
    "A" * 200,
    *(_cursor(at, "int_x") for at in EDGES_OF_TIME),
)


def test_tampered_cursors_and_cursors_at_the_ends_of_the_calendar_are_problems_on_cursor(
    client, tokens, ada, grace
) -> None:
    agent = bearer(tokens["agent"])
    timeline, answers = f"/api/v1/customers/{ada}/interactions", f"/api/v1/customers/{ada}/feedback"
    for cursor in TAMPERED:
        is_problem(client.get(timeline, params={"cursor": cursor}, headers=agent), 422, "cursor")
        is_problem(client.get(answers, params={"cursor": cursor}, headers=agent), 422, "cursor")
        board = client.get("/api/v1/complaints", params={"cursor": cursor}, headers=agent)
        is_problem(board, 422, "cursor")
    for at in EDGES_OF_TIME:
        answer = client.get(answers, params={"cursor": _pipe_cursor(at, "fbk_x")}, headers=agent)
        is_problem(answer, 422, "cursor")
    for path in (timeline, answers):
        assert client.get(path, params={"cursor": ""}, headers=agent).status_code == 200
    _another_customers_cursor_pages_this_customer_only(client, tokens, ada, grace)


def _another_customers_cursor_pages_this_customer_only(client, tokens, ada, grace) -> None:
    agent = bearer(tokens["agent"])
    for who, n in ((ada, 3), (grace, 3)):
        for i in range(n):
            contact(client, tokens["agent"], who, nature=f"{who} contact {i}")
    graces = client.get(
        f"/api/v1/customers/{grace}/interactions", params={"limit": 1}, headers=agent
    ).json()["next_cursor"]
    adas = client.get(
        f"/api/v1/customers/{ada}/interactions", params={"cursor": graces}, headers=agent
    )
    assert adas.status_code == 200
    assert grace not in adas.text


def _complaint_received_at_takes_an_offset_and_stays_within_the_last_year(
    client, tokens, ada, container
) -> None:
    agent = bearer(tokens["agent"])
    week_ago = (container.clock.now() - timedelta(days=7)).isoformat()
    made = client.post(
        "/api/v1/complaints",
        json={"customer_id": ada, **CASE, "received_at": week_ago},
        headers=agent,
    )
    assert made.status_code == 201, made.text
    assert (
        made.json()["received_on"] == (container.clock.now() - timedelta(days=7)).date().isoformat()
    )
    for at in (
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+14:00",
        "1900-01-01T00:00:00Z",
        "9999-12-31T23:59:59-14:00",
        "2026-11-20T09:00:00",
    ):
        answer = client.post(
            "/api/v1/complaints",
            json={"customer_id": ada, **CASE, "received_at": at},
            headers=agent,
        )
        is_problem(answer, 422, "received_at")


def _feedback_at_the_ends_of_the_calendar_is_a_problem_on_at(client, tokens, ada) -> None:
    for at in (
        "0001-01-01T00:00:00+00:00",
        "0001-01-01T00:00:00+14:00",
        "1900-01-01T00:00:00Z",
        "9999-12-31T23:59:59-14:00",
    ):
        answer = client.post(
            f"/api/v1/customers/{ada}/feedback",
            json={"csat": 3, "at": at},
            headers=bearer(tokens["agent"]),
        )
        is_problem(answer, 422, "at")


def _a_follow_up_cannot_be_put_in_a_disabled_members_queue(
    client, tokens, ada, container, personas
) -> None:
    staff_services.disable_staff(
        personas.dpo.username,
        uow=container.uow(),
        actor=personas.admin.actor,
        policy=container.policy,
        clock=container.clock,
    )
    due = uk_date(container.clock.now()) + timedelta(days=2)
    answer = client.post(
        f"/api/v1/customers/{ada}/interactions",
        json={
            **CONTACT,
            "outcome": "follow_up",
            "follow_up_due": due.isoformat(),
            "follow_up_owner": personas.dpo.actor.id,
        },
        headers=bearer(tokens["agent"]),
    )
    is_problem(answer, 422, "follow_up_owner")


WRONG = [None, 12345, {}, SECRET * 1200, f"{SECRET}\x00\u202e"]


def _bodies(ada: str, iid: str) -> dict[str, tuple[str, dict]]:
    return {
        "contact": (f"/api/v1/customers/{ada}/interactions", {**CONTACT, "follow_up_due": None}),
        "correction": (
            f"/api/v1/customers/{ada}/interactions/{iid}/corrections",
            {"reason": "typo", "nature": "fixed", "occurred_at": None},
        ),
        "complaint": ("/api/v1/complaints", {"customer_id": ada, **CASE, "received_at": None}),
        "feedback": (
            f"/api/v1/customers/{ada}/feedback",
            {"csat": 4, "comment": "fine", "channel": "phone", "at": None},
        ),
        "survey": (f"/api/v1/customers/{ada}/feedback-requests", {"purpose": "service"}),
    }


def test_every_body_field_given_a_wrong_value_is_a_quiet_problem_never_a_500(
    client, tokens, ada
) -> None:
    agent = bearer(tokens["agent"])
    iid = contact(client, tokens["agent"], ada)
    cid = case(client, tokens["agent"], ada)
    bodies = _bodies(ada, iid)
    bodies["step"] = (
        f"/api/v1/complaints/{cid}/steps",
        {
            "step": "resolve",
            "resolution": "done",
            "checklist": CHECKLIST,
            "customer_accepted": "yes",
            "note": None,
        },
    )
    for name, (url, good) in bodies.items():
        for field in good:
            for value in WRONG:
                answer = client.post(url, json={**good, field: value}, headers=agent)
                where = (name, field, repr(value)[:20])
                assert answer.status_code < 500, (where, answer.text)
                if answer.status_code >= 400:
                    assert answer.headers["content-type"].startswith("application/problem+json"), (
                        where
                    )
                    assert SECRET not in answer.text, where
                if answer.status_code == 422 and answer.json().get("errors"):
                    named = {e["field"].split(".")[0] for e in answer.json()["errors"]}
                    assert named & {field, "body", "Idempotency-Key"}, (where, named)
        unknown = client.post(url, json={**good, SECRET: 1}, headers=agent)
        is_problem(unknown, 422)


def test_the_final_response_letter_is_refused_to_a_role_the_complaint_details_are_hidden_from(
    settings, tmp_path, clock
) -> None:
    """Under a policy that makes complaint details special category data, an agent (who may
    not see special data) reads a case without its words; the letter, which quotes them, is
    refused too, not written out in full."""
    default = Path(bootstrap.__file__).parent / "policy" / "default.toml"
    text = default.read_text().replace(
        '[fields.complaint_details]\ntype = "notes"\ncategory = "personal"',
        '[fields.complaint_details]\ntype = "notes"\ncategory = "special"\nspecial_kind = "health"',
    )
    text = text.replace(
        'required = ["given_name", "family_name"]\n\n[purposes.complaints.retention]',
        'required = ["given_name", "family_name"]\narticle9_condition = "legal_claims"\n\n'
        "[purposes.complaints.retention]",
    )
    policy_file = tmp_path / "special.toml"
    policy_file.write_text(text)
    special = bootstrap.build(
        replace(settings, policy_path=policy_file),
        clock=clock,
        hasher=Argon2PasswordHasher(fast_for_tests=True),
    )
    try:
        bootstrap.initialise(special, admin_username="root.admin", admin_password=PASSWORD)
        system = Actor(id="test", name="test", role="system")
        who = {}
        for role in ("agent", "supervisor"):
            member = staff_services.add_staff(
                staff_services.AddStaff(username=f"{role}.one", role=role, password=PASSWORD),
                uow=special.uow(),
                actor=system,
                policy=special.policy,
                clock=special.clock,
                hasher=special.hasher,
            )
            actor = Actor(id=member.id, name=member.username, role=role, credential="t")
            secret = staff_services.create_token(
                "t", uow=special.uow(), actor=actor, clock=special.clock
            ).secret
            who[role] = bearer(secret)
        with TestClient(create_app(special), base_url="http://testserver") as api:
            ada = api.post(
                "/api/v1/customers",
                json={
                    "purpose": "complaints",
                    "fields": {"given_name": "Ada", "family_name": "Lovelace"},
                    "source": "phone",
                },
                headers=who["supervisor"],
            ).json()["id"]
            made = api.post(
                "/api/v1/complaints",
                json={"customer_id": ada, **CASE},
                headers=who["supervisor"],
            )
            assert made.status_code == 201, made.text
            steps = f"/api/v1/complaints/{made.json()['id']}/steps"
            resolved = api.post(
                steps,
                json={
                    "step": "resolve",
                    "resolution": "Refunded the second charge",
                    "checklist": CHECKLIST,
                    "customer_accepted": "yes",
                },
                headers=who["supervisor"],
            )
            assert resolved.status_code == 200, resolved.text
            case_url = f"/api/v1/complaints/{made.json()['id']}"
            assert api.get(case_url, headers=who["agent"]).json()["details"] is None
            letter = api.get(f"{case_url}/final-response", headers=who["agent"])
            assert letter.status_code in (403, 422), letter.text
            for words in (CASE["summary"], "Refunded the second charge"):
                assert words not in letter.text
            shown = api.get(f"{case_url}/final-response", headers=who["supervisor"])
            assert shown.status_code == 200 and CASE["summary"] in shown.text
    finally:
        special.close()
