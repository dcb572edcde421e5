"""Over the API, a phone number in no range known to be in use is kept only when the request
names its field in accept_unlisted_phones; without it the 422 problem says which field and
what to do, in a type the client can act on. Histories name who by name beside the id."""

from __future__ import annotations

from tests.e2e.conftest import bearer
from tests.e2e.http.test_customer_records_api import ADA, create

DRAMA = {**ADA, "phone": "07700 900123"}


def test_an_unlisted_number_is_refused_with_a_problem_naming_the_field(client, tokens) -> None:
    response = create(client, tokens["agent"], DRAMA)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"].endswith("/unlisted-phone-number")
    assert [e["field"] for e in problem["errors"]] == ["fields.phone"]
    assert "900123" not in response.text  # never echoed


def test_with_other_problems_the_type_is_the_general_one_and_every_field_named(
    client, tokens
) -> None:
    problem = create(client, tokens["agent"], {**DRAMA, "email": "nope"}).json()
    assert problem["type"].endswith("/invalid-input")
    assert {e["field"] for e in problem["errors"]} == {"fields.phone", "fields.email"}


def test_naming_the_field_keeps_the_number_and_the_record_says_so(client, tokens) -> None:
    response = create(client, tokens["agent"], DRAMA, accept_unlisted_phones=["phone"])
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["fields"]["phone"] == "+447700900123"
    assert body["field_details"]["phone"] == {
        **body["field_details"]["phone"],
        "display": "07700 900123",
        "unlisted": True,
    }
    assert body["field_details"]["email"]["unlisted"] is False
    read = client.get(
        f"/api/v1/customers/{body['id']}",
        params={"purpose": "service"},
        headers=bearer(tokens["agent"]),
    )
    assert read.json()["field_details"]["phone"]["unlisted"] is True


def test_a_correction_to_an_unlisted_number_names_the_field_too(client, tokens) -> None:
    cid = create(client, tokens["agent"]).json()["id"]

    def patch(**extra):
        return client.patch(
            f"/api/v1/customers/{cid}",
            json={"purpose": "service", "fields": {"phone": "07700 900456"}}
            | {"reason": "new number", "source": "internal_records", **extra},
            headers=bearer(tokens["agent"]),
        )

    assert patch().json()["type"].endswith("/unlisted-phone-number")
    kept = patch(accept_unlisted_phones=["phone"])
    assert kept.status_code == 200 and kept.json()["field_details"]["phone"]["unlisted"] is True


def test_the_schema_documents_the_field_and_the_problem(client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    create_body = schema["components"]["schemas"]["CustomerCreate"]["properties"]
    assert "unlisted-phone-number" in create_body["accept_unlisted_phones"]["description"]
    assert (
        "accept_unlisted_phones"
        in (schema["components"]["schemas"]["CustomerUpdate"]["properties"])
    )
    register = schema["paths"]["/api/v1/customers"]["post"]
    assert "unlisted-phone-number" in register["responses"]["422"]["description"]


def test_the_history_keeps_ids_and_adds_the_name_and_the_display(client, tokens, personas) -> None:
    cid = create(client, tokens["agent"]).json()["id"]
    items = client.get(
        f"/api/v1/customers/{cid}/history",
        params={"purpose": "service"},
        headers=bearer(tokens["agent"]),
    ).json()["items"]
    (phone,) = [i for i in items if i["field"] == "phone"]
    assert phone["changed_by"] == personas.agent.actor.id
    assert phone["changed_by_name"].endswith("(agent)")
    assert phone["changed_by_name"] != phone["changed_by"]
    assert (phone["new_value"], phone["new_display"]) == ("+442079460018", "020 7946 0018")
