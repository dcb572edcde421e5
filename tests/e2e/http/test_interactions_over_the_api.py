"""Over the REST API a contact is logged (201, Idempotency-Key replays), the checker's hits
come back as a 422 naming field, kind and offsets but never the text, the timeline pages by
cursor and is cut by the purpose, and the follow-up queue lists what is open."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.shared.uk_time import uk_date
from tests.e2e.conftest import bearer

CONTACT = {
    "channel": "phone",
    "category": "enquiry",
    "nature": "asked about the bill",
    "actions_taken": "explained the charges",
}


@pytest.fixture
def ada(client, tokens) -> str:
    made = client.post(
        "/api/v1/customers",
        json={
            "purpose": "service",
            "fields": {"given_name": "Ada", "family_name": "Lovelace", "email": "a@example.com"},
            "source": "phone",
        },
        headers=bearer(tokens["agent"]),
    )
    assert made.status_code == 201, made.text
    return made.json()["id"]


def test_a_contact_is_logged_replayed_and_listed_newest_first(client, tokens, ada) -> None:
    url, who = f"/api/v1/customers/{ada}/interactions", bearer(tokens["agent"])
    first = client.post(url, json=CONTACT, headers={**who, "Idempotency-Key": "abc-1"})
    assert first.status_code == 201, first.text
    again = client.post(url, json=CONTACT, headers={**who, "Idempotency-Key": "abc-1"})
    assert again.json()["interaction_id"] == first.json()["interaction_id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    page = client.get(url, params={"purpose": "service", "limit": 1}, headers=who).json()
    assert page["items"][0]["kind"] == "interaction"
    assert page["items"][0]["title"] == "Phone call: enquiry"
    assert page["next_cursor"]
    older = client.get(url, params={"cursor": page["next_cursor"]}, headers=who).json()
    assert older["items"] and older["items"][0]["kind"] == "field_change"
    hidden = client.get(url, params={"purpose": "marketing"}, headers=bearer(tokens["supervisor"]))
    assert all(i["kind"] != "interaction" for i in hidden.json()["items"])


def test_missing_text_and_a_wrong_purpose_are_problems_naming_the_field(
    client, tokens, ada
) -> None:
    url, who = f"/api/v1/customers/{ada}/interactions", bearer(tokens["supervisor"])
    missing = client.post(url, json={"channel": "phone", "category": "enquiry"}, headers=who)
    assert missing.status_code == 422
    named = {e["field"] for e in missing.json()["errors"]}
    assert {"nature", "actions_taken"} <= {n.split(".")[-1] for n in named}
    wrong = client.post(url, json={**CONTACT, "purpose": "marketing"}, headers=who)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "purpose"


def test_a_card_number_is_a_problem_with_offsets_and_never_echoed(client, tokens, ada) -> None:
    url, who = f"/api/v1/customers/{ada}/interactions", bearer(tokens["agent"])
    body = {**CONTACT, "nature": "paid with 4111 1111 1111 1111"}
    refused = client.post(url, json=body, headers=who)
    assert refused.status_code == 422
    problem = refused.json()
    assert problem["hits"] == [{"field": "nature", "kind": "card", "start": 10, "end": 29}]
    assert problem["errors"][0]["kind"] == "card"
    assert "4111" not in refused.text
    saved = client.post(url, json={**body, "redact": True}, headers=who)
    assert saved.status_code == 201 and saved.json()["redacted"] == ["card"]
    timeline = client.get(url, headers=who).json()["items"][0]["details"]
    assert {"label": "Nature", "text": "paid with [card number removed]"} in timeline


def test_the_follow_up_queue_lists_mine_until_a_contact_closes_it(
    client, tokens, ada, container
) -> None:
    url, who = f"/api/v1/customers/{ada}/interactions", bearer(tokens["agent"])
    due = uk_date(container.clock.now()) + timedelta(days=3)
    body = {**CONTACT, "outcome": "follow_up", "follow_up_due": due.isoformat()}
    made = client.post(url, json=body, headers=who).json()["interaction_id"]
    within = {"due_before": due.isoformat()}
    queue = client.get("/api/v1/follow-ups", params=within, headers=who)
    assert [i["interaction_id"] for i in queue.json()["items"]] == [made]
    assert queue.json()["items"][0]["display_name"] == "Ada Lovelace"
    team = client.get("/api/v1/follow-ups", params={"owner": "team"}, headers=bearer(tokens["dpo"]))
    assert [i["interaction_id"] for i in team.json()["items"]] == [made]
    client.post(url, json={**CONTACT, "follows_up": made}, headers=who)
    assert client.get("/api/v1/follow-ups", headers=who).json()["items"] == []
