"""GET /api/v1/audit newest first with cursors both ways and every filter, and
GET /api/v1/audit/export.csv: the data protection lead's explorer over the API."""

from __future__ import annotations

import base64
import csv
import io

import pytest

from clientkeep.audit.model import AuditEntry
from tests.e2e.conftest import bearer

AUDIT = "/api/v1/audit"


def add(container, *actions: str, actor_id: str = "system") -> None:
    with container.uow() as uow:
        for action in actions:
            uow.audit.append(
                AuditEntry(action=action, actor_id=actor_id, actor_role="system", credential="t")
            )
        uow.commit()


def get(client, token, **params):
    return client.get(AUDIT, params=params, headers=bearer(token))


def test_newest_come_first_and_the_cursors_lead_older_and_back(client, tokens, container):
    add(container, *["test.paged"] * 7)
    dpo = tokens["dpo"]
    first = get(client, dpo, action="test.paged", limit=3).json()
    seqs = [i["seq"] for i in first["items"]]
    assert seqs == sorted(seqs, reverse=True) and first["prev_cursor"] is None
    second = get(client, dpo, action="test.paged", limit=3, cursor=first["next_cursor"]).json()
    assert [i["seq"] for i in second["items"]] == [s - 3 for s in seqs]
    last = get(client, dpo, action="test.paged", limit=3, cursor=second["next_cursor"]).json()
    assert len(last["items"]) == 1 and last["next_cursor"] is None
    back = get(client, dpo, action="test.paged", limit=3, cursor=last["prev_cursor"]).json()
    assert back["items"] == second["items"]
    top = get(client, dpo, action="test.paged", limit=3, cursor=back["prev_cursor"]).json()
    assert [i["seq"] for i in top["items"]] == seqs and top["prev_cursor"] is None


def test_a_cursor_of_the_original_kind_still_walks_up_from_it(client, tokens) -> None:
    old = base64.urlsafe_b64encode(b"seq:1").decode().rstrip("=")
    body = get(client, tokens["dpo"], cursor=old, limit=2).json()
    assert [i["seq"] for i in body["items"]] == [2, 3]


def test_people_are_named_beside_their_ids_and_filtered_by_id(client, tokens, personas) -> None:
    dpo = personas.dpo.actor
    get(client, tokens["dpo"])  # a read of the trail, by the DPO over the API
    body = get(client, tokens["dpo"], actor_id=dpo.id, action="audit.read").json()
    assert body["items"] and {i["actor_id"] for i in body["items"]} == {dpo.id}
    assert {i["actor_name"] for i in body["items"]} == {"dpo.one (dpo)"}
    first = get(client, tokens["dpo"], order="oldest", limit=1).json()["items"][0]
    assert first["actor_name"] == "clientkeep (system)"


def test_filters_by_outcome_purpose_and_time(client, tokens) -> None:
    dpo = tokens["dpo"]
    assert get(client, dpo, outcome="denied").json()["items"] == []
    assert get(client, dpo, purpose="marketing").json()["items"] == []
    assert get(client, dpo, **{"from": "2030-01-01"}).json()["items"] == []
    today = get(client, dpo, **{"from": "2026-11-23", "to": "2026-11-23T23:59"}).json()
    assert today["items"] and all(i["occurred_at"].startswith("2026-11-23") for i in today["items"])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "last Tuesday"}, "from"),
        ({"to": "2026-02-30"}, "to"),
        ({"outcome": "sideways"}, "outcome"),
        ({"purpose": "nosiness"}, "purpose"),
        ({"actor_id": "ada@example.com"}, "actor_id"),
        ({"cursor": "bm9wZTox"}, "cursor"),
    ],
)
def test_a_bad_filter_is_a_problem_naming_its_field_and_never_its_value(
    client, tokens, params, field
) -> None:
    for path in (AUDIT, f"{AUDIT}/export.csv"):
        if path.endswith("csv") and "cursor" in params:
            continue
        response = client.get(path, params=params, headers=bearer(tokens["dpo"]))
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert [e["field"] for e in problem["errors"]] == [field]
        for value in params.values():
            assert value not in response.text


def test_the_export_streams_the_filtered_events_and_is_itself_audited(
    client, tokens, container
) -> None:
    add(container, "test.exported", "test.exported", actor_id="-2+3")
    response = client.get(
        f"{AUDIT}/export.csv", params={"action": "test.exported"}, headers=bearer(tokens["dpo"])
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2 == int(response.headers["x-export-count"])
    # A cell a spreadsheet would run as a formula is neutralised.
    assert {r["actor_id"] for r in rows} == {"'-2+3"}
    assert rows[0]["action_name"] == "test.exported"
    exported = get(client, tokens["dpo"], action="audit.exported").json()["items"][0]
    assert exported["detail"]["count"] == 2
    assert exported["detail"]["action_filter"] == "test.exported"


def test_only_the_data_protection_lead_pages_or_exports(client, tokens) -> None:
    assert get(client, tokens["agent"]).status_code == 403
    export = client.get(f"{AUDIT}/export.csv", headers=bearer(tokens["agent"]))
    assert export.status_code == 403
