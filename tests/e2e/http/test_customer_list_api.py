"""GET /api/v1/customers: the list a page at a time with cursors both ways, as the audit API
pages; bad parameters are problems naming the field; search results and the review queue
answer with what tells people apart and the true totals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.audit.ports import TrailFilter
from tests.e2e.conftest import bearer

LIST = "/api/v1/customers"
GIVEN = ("Ann", "Ben", "Cal", "Dee", "Eve")
POSTCODES = ("LS1 4AP", "M1 1AE", "SW1A 1AA", "EH1 1YZ", "B1 1AA")


def add(client, token, n: int, **fields: str) -> dict:
    body = {
        "purpose": "service",
        "source": "phone",
        "fields": {
            "given_name": GIVEN[n],
            "family_name": "Tester",
            "email": f"person{n}@example.com",
            "postcode": POSTCODES[n],
            **fields,
        },
    }
    response = client.post(LIST, json=body, headers=bearer(token))
    assert response.status_code == 201, response.text
    return response.json()


def get(client, token, **params):
    return client.get(LIST, params={"purpose": "service", **params}, headers=bearer(token))


@pytest.fixture
def five(client, tokens, container):
    made = []
    for n in range(5):
        made.append(add(client, tokens["agent"], n))
        container.clock.advance(timedelta(minutes=1))
    return made


def test_pages_lead_on_and_back_with_the_api_field_names(client, tokens, five) -> None:
    agent = tokens["agent"]
    first = get(client, agent, limit=2).json()
    assert set(first) == {"items", "next_cursor", "prev_cursor"} and first["prev_cursor"] is None
    newest = [c["id"] for c in reversed(five)]
    assert [i["id"] for i in first["items"]] == newest[:2]
    item = first["items"][0]
    assert set(item) == {
        "id",
        "display_name",
        "postcode_district",
        "reference",
        "birth_year",
        "created_at",
        "updated_at",
        "needs_review",
        "stale_fields",
        "other_stale",
        "suspected_duplicate",
    }
    assert (item["display_name"], item["postcode_district"]) == ("Eve Tester", "B1")
    assert item["reference"] == five[4]["reference"]
    second = get(client, agent, limit=2, cursor=first["next_cursor"]).json()
    last = get(client, agent, limit=2, cursor=second["next_cursor"]).json()
    assert [i["id"] for i in second["items"] + last["items"]] == newest[2:]
    assert last["next_cursor"] is None
    back = get(client, agent, limit=2, cursor=last["prev_cursor"]).json()
    assert back["items"] == second["items"]
    oldest = get(client, agent, sort="created", order="asc", limit=5).json()
    assert [i["id"] for i in oldest["items"]] == [c["id"] for c in five]


def test_each_page_is_in_the_trail_for_everyone_it_showed(client, tokens, five, container):
    shown = get(client, tokens["agent"], limit=3).json()["items"]
    with container.uow() as uow:
        for item in shown:
            events = uow.audit.page(
                TrailFilter(customer_id=item["id"], action="customer.listed"), limit=10
            )
            assert len(events) == 1


def test_needs_review_lists_the_suspected_duplicates(client, tokens, five) -> None:
    twin = add(client, tokens["agent"], 0, email="person0@example.com")
    assert twin["possible_duplicates"]
    flagged = get(client, tokens["agent"], needs_review="true").json()["items"]
    assert {i["id"] for i in flagged} == {five[0]["id"], twin["id"]}
    assert all(i["suspected_duplicate"] and i["needs_review"] for i in flagged)
    first = get(client, tokens["agent"], sort="needs_review", limit=2).json()["items"]
    assert {i["id"] for i in first} == {five[0]["id"], twin["id"]}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"cursor": "bm9wZTox"}, "cursor"),
        ({"cursor": "not a cursor at all"}, "cursor"),
        ({"sort": "family_name"}, "sort"),
        ({"order": "up"}, "order"),
        ({"limit": "101"}, "limit"),
        ({"created_from": "23-11-2026"}, "created_from"),
    ],
)
def test_a_bad_parameter_is_a_problem_naming_it_and_never_its_value(
    client, tokens, five, params, field
) -> None:
    response = get(client, tokens["agent"], **params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == [field]
    for value in params.values():
        assert value not in response.text


def test_a_cursor_from_another_order_is_refused(client, tokens, five) -> None:
    cursor = get(client, tokens["agent"], sort="created", limit=2).json()["next_cursor"]
    response = get(client, tokens["agent"], cursor=cursor)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["cursor"]


@pytest.mark.parametrize(
    ("role", "purpose"),
    [("agent", "identity_verification"), ("agent", "marketing"), ("admin", "service")],
)
def test_a_purpose_or_role_that_shows_no_names_may_not_list(
    client, tokens, five, role, purpose
) -> None:
    response = get(client, tokens[role], purpose=purpose)
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("application/problem+json")


def test_search_results_tell_two_people_of_one_name_apart(client, tokens) -> None:
    agent = tokens["agent"]
    leeds = add(
        client, agent, 0, given_name="Jane", family_name="Smith", date_of_birth="1970-03-14"
    )
    london = add(
        client, agent, 2, given_name="Jane", family_name="Smith", date_of_birth="1992-07-01"
    )
    found = client.post(
        f"{LIST}/search", json={"purpose": "service", "name": "Jane Smith"}, headers=bearer(agent)
    ).json()["items"]
    by_id = {m["id"]: m for m in found}
    assert (by_id[leeds["id"]]["postcode_district"], by_id[leeds["id"]]["birth_year"]) == (
        "LS1",
        1970,
    )
    assert (by_id[london["id"]]["reference"], by_id[london["id"]]["birth_year"]) == (
        london["reference"],
        1992,
    )
    assert "1970-03-14" not in str(found)


def test_the_review_queue_answers_with_its_totals(client, tokens, five) -> None:
    add(client, tokens["agent"], 0, email="person0@example.com")
    queue = client.get(
        "/api/v1/review-queue",
        params={"limit": 1, "count_all": "true"},
        headers=bearer(tokens["supervisor"]),
    ).json()
    assert len(queue["duplicates"]) == 1 and queue["duplicates_total"] >= 1
    assert queue["stale_total"] == 0
