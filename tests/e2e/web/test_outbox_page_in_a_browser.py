"""The administrator's Messages page in Chromium: sent, waiting and failed messages newest
first, a failed one retried after a confirmation (post/redirect/get), a message's page that
shows its state but, for a role that reads no customer data, not its text. axe-core checks
every page. An agent is refused."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from clientkeep.customers import services as customers
from clientkeep.outbox import services as outbox
from clientkeep.outbox.model import Channel, DeliveryFailed
from tests.e2e.web.conftest import csrf_of
from tests.e2e.web.conftest import sign_in_browser as browser_sign_in

BODY = "Your one-time code is 493817."


class Refusing:
    def send(self, message):
        raise DeliveryFailed("SMTP 550: mailbox unavailable")


class Accepting:
    def send(self, message):
        return "prov-1"


@pytest.fixture
def messages(container, personas) -> dict[str, str]:
    """One sent, one failed (dead letter) and one waiting message, written in that order."""
    customer_id = customers.register(
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

    def put(kind: str) -> str:
        with container.uow() as uow:
            made = outbox.enqueue(
                uow,
                outbox.Message(
                    customer_id, "email", "ada@example.com", "Code", BODY, "service", kind
                ),
                container.clock.now(),
                policy=container.policy,
            )
            uow.commit()
        container.clock.advance(timedelta(seconds=1))
        return made

    def deliver(sender) -> None:
        outbox.deliver_due(
            container.uow,
            {Channel.EMAIL: sender},
            container.clock,
            rules=outbox.DeliveryRules(max_attempts=1),
        )

    sent = put("receipt")
    deliver(Accepting())
    dead = put("one_time_code")
    deliver(Refusing())
    waiting = put("disclosure_letter")
    return {"sent": sent, "dead": dead, "waiting": waiting, "customer": customer_id}


@pytest.mark.browser
def test_the_administrator_sees_every_message_and_retries_a_failed_one(
    page, axe, personas, messages
) -> None:
    browser_sign_in(page, personas.admin)
    page.goto("/outbox")
    axe()
    assert page.get_by_role("heading", level=1).inner_text() == "Messages to customers"
    rows = page.get_by_test_id("messages").locator("tbody tr")
    kinds = [rows.nth(i).locator("td").nth(2).inner_text() for i in range(rows.count())]
    assert kinds == ["disclosure_letter", "one_time_code", "receipt"]
    assert BODY not in page.content() and "ada@example.com" not in page.content()

    page.get_by_role("link", name=re.compile(r"^Failed")).click()
    page.wait_for_url(re.compile(r"/outbox\?status=dead$"))
    axe()
    assert "SMTP 550: mailbox unavailable" in page.get_by_test_id("messages").inner_text()
    page.get_by_role("link", name=re.compile(r"^Retry")).click()
    page.wait_for_url(re.compile(rf"/outbox/{messages['dead']}/retry$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Retry this message?"
    axe()
    page.get_by_role("button", name="Retry the message").click()
    page.wait_for_url(re.compile(r"/outbox\?done=retried$"))
    assert "waiting again" in page.get_by_role("status").inner_text()
    axe()

    page.get_by_role("link", name=re.compile(r"^Details")).first.click()
    page.wait_for_url(re.compile(r"/outbox/msg_"))
    axe()
    assert "reads no customer's data" in page.content()
    assert BODY not in page.content()


@pytest.mark.browser
def test_an_agent_is_refused_the_messages_page(page, axe, personas, messages) -> None:
    browser_sign_in(page, personas.agent)
    answer = page.goto("/outbox")
    assert answer is not None and answer.status == 403
    axe()


def test_the_retry_confirmation_changes_nothing_and_its_post_redirects(
    signed_in, container, messages
) -> None:
    admin = signed_in("admin")
    confirm = admin.get(f"/outbox/{messages['dead']}/retry")
    assert confirm.status_code == 200
    with container.uow().reading() as uow:
        assert uow.outbox.get(messages["dead"]).status.value == "dead"
    done = admin.post(
        f"/outbox/{messages['dead']}/retry",
        data={"csrf_token": csrf_of(confirm.text)},
        follow_redirects=False,
    )
    assert (done.status_code, done.headers["location"]) == (303, "/outbox?done=retried")
    with container.uow().reading() as uow:
        assert uow.outbox.get(messages["dead"]).status.value == "waiting"
    # Without the form's token nothing happens.
    refused = admin.post(f"/outbox/{messages['sent']}/retry", data={}, follow_redirects=False)
    assert refused.status_code == 403


def test_an_agent_gets_403_on_every_messages_page(signed_in, messages) -> None:
    agent = signed_in("agent")
    for path in ("/outbox", f"/outbox/{messages['dead']}", f"/outbox/{messages['dead']}/retry"):
        assert agent.get(path).status_code == 403, path


def test_a_bad_cursor_is_named_on_the_page(signed_in, messages) -> None:
    got = signed_in("admin").get("/outbox?cursor=bm9wZQ")
    assert got.status_code == 422 and "cursor" in got.text
