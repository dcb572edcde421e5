"""The outbox over REST: the administrator lists messages newest first by status and
cursor, and retries a dead letter; an agent is refused; bad input is a problem naming the
field."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.customers import services as customers
from clientkeep.outbox import services as outbox
from clientkeep.outbox.model import Channel, DeliveryFailed
from tests.e2e.conftest import bearer

BODY = "Your one-time code is 493817."


@pytest.fixture
def customer_id(container, personas) -> str:
    return customers.register(
        customers.RegisterCustomer(
            purpose="service",
            fields={"given_name": "Ada", "family_name": "Lovelace", "email": "ada@example.com"},
            source="phone",
        ),
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id


def put(container, customer_id: str) -> str:
    with container.uow() as uow:
        message_id = outbox.enqueue(
            uow,
            outbox.Message(customer_id, "email", "ada@example.com", "Code", BODY, "service", "otp"),
            container.clock.now(),
            policy=container.policy,
        )
        uow.commit()
    container.clock.advance(timedelta(seconds=1))
    return message_id


class Refusing:
    def send(self, message):
        raise DeliveryFailed("SMTP 550: no")


def test_the_administrator_pages_through_messages_newest_first(
    client, container, tokens, customer_id
) -> None:
    ids = [put(container, customer_id) for _ in range(3)]
    got = client.get("/api/v1/outbox?limit=2", headers=bearer(tokens["admin"]))
    assert got.status_code == 200, got.text
    page = got.json()
    assert [m["id"] for m in page["items"]] == [ids[2], ids[1]]
    assert page["counts"]["waiting"] == 3
    first = page["items"][0]
    assert (first["customer"], first["status"], first["channel"]) == (
        customer_id,
        "waiting",
        "email",
    )
    assert BODY not in got.text and "ada@example.com" not in got.text
    rest = client.get(
        "/api/v1/outbox",
        params={"limit": 2, "cursor": page["next_cursor"]},
        headers=bearer(tokens["admin"]),
    ).json()
    assert [m["id"] for m in rest["items"]] == [ids[0]] and rest["next_cursor"] is None


def test_a_dead_letter_is_retried_over_the_api(client, container, tokens, customer_id) -> None:
    message_id = put(container, customer_id)
    outbox.deliver_due(
        container.uow,
        {Channel.EMAIL: Refusing()},
        container.clock,
        rules=outbox.DeliveryRules(max_attempts=1),
    )
    dead = client.get("/api/v1/outbox?status=dead", headers=bearer(tokens["admin"]))
    [item] = dead.json()["items"]
    assert (item["id"], item["last_error"], item["attempts"]) == (message_id, "SMTP 550: no", 1)

    done = client.post(f"/api/v1/outbox/{message_id}/retry", headers=bearer(tokens["admin"]))
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["attempts"]) == ("waiting", 0)

    again = client.post(f"/api/v1/outbox/{message_id}/retry", headers=bearer(tokens["admin"]))
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")


def test_an_agent_is_refused_both_routes(client, container, tokens, customer_id) -> None:
    message_id = put(container, customer_id)
    for answer in (
        client.get("/api/v1/outbox", headers=bearer(tokens["agent"])),
        client.post(f"/api/v1/outbox/{message_id}/retry", headers=bearer(tokens["agent"])),
    ):
        assert answer.status_code == 403
        assert answer.headers["content-type"].startswith("application/problem+json")


def test_no_token_is_refused(client) -> None:
    assert client.get("/api/v1/outbox").status_code == 401


@pytest.mark.parametrize(
    ("query", "field"), [("status=lost", "status"), ("cursor=bm9wZQ", "cursor")]
)
def test_bad_input_is_a_problem_naming_the_field(client, tokens, query, field) -> None:
    got = client.get(f"/api/v1/outbox?{query}", headers=bearer(tokens["admin"]))
    assert got.status_code == 422
    assert got.headers["content-type"].startswith("application/problem+json")
    assert field in got.text


def test_an_unknown_message_is_a_404_problem(client, tokens) -> None:
    got = client.post(f"/api/v1/outbox/msg_{'a' * 24}/retry", headers=bearer(tokens["admin"]))
    assert got.status_code == 404
    assert got.json()["title"] == "Not found"


def test_the_administrator_may_not_read_a_message_s_text(
    client, container, tokens, customer_id
) -> None:
    message_id = put(container, customer_id)
    got = client.get(
        f"/api/v1/outbox/{message_id}?purpose=service", headers=bearer(tokens["admin"])
    )
    assert got.status_code == 403 and BODY not in got.text
