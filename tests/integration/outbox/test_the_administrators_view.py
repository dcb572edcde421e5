"""Whoever runs the outbox lists its messages newest first, a page at a time, by status,
seeing who each is to by id (or by name, under a purpose their role may act under), and
reads one message's text only under a purpose. Every customer shown is in the trail."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.audit.model import SHOWN
from clientkeep.outbox import services as outbox
from clientkeep.outbox.model import Status
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.integration.customers._policies import SHIPPED, container_under
from tests.integration.outbox.conftest import ADA, BODY, EMAIL, Recording
from tests.integration.record_kinds._storage import audit_events


def listing(container, persona, **options):
    return outbox.list_messages(
        uow=container.uow(), actor=persona.actor, policy=container.policy, **options
    )


def test_the_list_is_newest_first_paged_and_filtered_by_status(
    container, register, enqueue, deliver, personas
) -> None:
    first = register()
    second = register({**ADA, "given_name": "Grace", "email": "grace@example.com"})
    ids = []
    for customer in (first, second, first):
        ids.append(enqueue(customer))
        container.clock.advance(timedelta(seconds=1))
    deliver({EMAIL: Recording()}, limit=1)  # the oldest goes

    page = listing(container, personas.admin, limit=2)
    assert [m.envelope.id for m in page.messages] == [ids[2], ids[1]]
    assert page.counts == {"waiting": 2, "sending": 0, "sent": 1, "dead": 0}
    rest = listing(container, personas.admin, limit=2, cursor=page.next_cursor)
    assert [m.envelope.id for m in rest.messages] == [ids[0]] and rest.next_cursor is None
    sent = listing(container, personas.admin, status=Status.SENT)
    assert [m.envelope.id for m in sent.messages] == [ids[0]]
    # The administrator sees no customer data: customers by id.
    assert [m.customer for m in page.messages] == [first, second]
    event = audit_events(container, "outbox.listed")[0].entry
    assert set(event.detail[SHOWN].split(",")) == {first, second}


def test_an_agent_may_not_see_the_outbox_and_the_attempt_is_recorded(container, personas) -> None:
    with pytest.raises(PermissionDenied):
        listing(container, personas.agent)
    [event] = audit_events(container, "outbox.listed")
    assert (event.entry.outcome, event.entry.actor_id) == ("denied", personas.agent.actor.id)


def test_a_cursor_or_status_not_given_by_the_list_is_refused(container, personas) -> None:
    with pytest.raises(InvalidInput) as bad:
        listing(container, personas.admin, cursor="bm90IGEgY3Vyc29y")
    assert bad.value.errors[0][0] == "cursor"
    with pytest.raises(InvalidInput) as bad:
        outbox.parse_status("lost")
    assert bad.value.errors[0][0] == "status"
    with pytest.raises(InvalidInput):
        listing(container, personas.admin, limit=0)


def test_the_administrator_may_not_read_a_message_under_any_purpose(
    container, customer_id, enqueue, personas
) -> None:
    message_id = enqueue(customer_id)
    with pytest.raises(PermissionDenied):
        outbox.read_message(
            message_id,
            purpose="service",
            uow=container.uow(),
            actor=personas.admin.actor,
            policy=container.policy,
        )
    [event] = audit_events(container, "outbox.read")
    assert event.entry.outcome == "denied"


class TestARoleThatRunsTheOutboxAndActsForPurposes:
    """Under a policy giving the data protection lead the outbox too."""

    @pytest.fixture
    def container(self, settings, clock, tmp_path):
        policy = tmp_path / "policy.toml"
        policy.write_text(
            SHIPPED.replace(
                'capabilities = ["audit.read", "policy.manage", "review.work", '
                '"disclosures.approve", "reports.read"]',
                'capabilities = ["audit.read", "policy.manage", "review.work", '
                '"disclosures.approve", "reports.read", "keys.manage"]',
            ),
            encoding="utf-8",
        )
        with container_under(settings, clock, policy) as running:
            yield running

    def test_the_list_names_customers_under_a_purpose_and_records_them(
        self, container, customer_id, enqueue, personas
    ) -> None:
        enqueue(customer_id)
        page = listing(container, personas.dpo, purpose="service")
        assert [m.customer for m in page.messages] == ["Ada Lovelace"]
        event = audit_events(container, "outbox.listed", customer_id)[0].entry
        assert event.customer_id == customer_id and event.purpose == "service"
        assert set(event.detail["shown_fields"].split(",")) >= {"given_name", "family_name"}

    def test_a_message_is_read_under_a_purpose_and_the_read_recorded(
        self, container, customer_id, enqueue, personas
    ) -> None:
        message_id = enqueue(customer_id, quotes=frozenset({"given_name"}))

        def read(purpose):
            return outbox.read_message(
                message_id,
                purpose=purpose,
                uow=container.uow(),
                actor=personas.dpo.actor,
                policy=container.policy,
            )

        view = read("service")
        assert (view.to, view.body, view.customer) == (ADA["email"], BODY, "Ada Lovelace")
        event = audit_events(container, "outbox.read", customer_id)[-1].entry
        assert {"email", "given_name", "family_name"} <= set(event.fields)
        # Identity verification only compares: nothing of the message is shown.
        hidden = read("identity_verification")
        assert (hidden.to, hidden.subject, hidden.body) == (None, None, None)
        assert hidden.customer == customer_id
        assert audit_events(container, "outbox.read", customer_id)[-1].entry.fields == ()
