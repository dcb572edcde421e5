"""Messages are personal records: sealed at rest, erased (a waiting one cancelled) with
their customer, moved to the survivor on a merge and still delivered, and refused for a
customer merged away or a purpose that does not use what they hold."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from clientkeep.customers import services as customers
from clientkeep.outbox import services as outbox
from clientkeep.outbox.model import Status
from clientkeep.shared.errors import InvalidInput
from tests.integration.outbox.conftest import ADA, EMAIL, Recording, envelope, kinds
from tests.integration.record_kinds._storage import checkpointed_main_database

SECRET_BODY = "Qzsealedbodytext: your code is 771203"


def test_the_recipient_subject_and_body_are_not_stored_in_the_clear(
    container, backend, customer_id, enqueue
) -> None:
    enqueue(customer_id, subject="Qzsealedsubject", body=SECRET_BODY)
    if backend == "sqlite":
        stored = checkpointed_main_database(container)
        for plain in (SECRET_BODY, "Qzsealedsubject", ADA["email"]):
            assert plain.encode() not in stored
            assert plain.encode("utf-16-le") not in stored
    else:
        with container.engine.connect() as conn:
            rows = " ".join(conn.execute(text("select t::text from outbox_message t")).scalars())
        assert "Qzsealed" not in rows and ADA["email"] not in rows
        assert SECRET_BODY.encode().hex() not in rows


def test_erasing_the_customer_cancels_their_waiting_message(
    container, customer_id, enqueue, deliver
) -> None:
    message_id = enqueue(customer_id)
    kind = kinds(container)[outbox.OUTBOX_MESSAGE]
    with container.uow() as uow:
        assert kind.erase(uow, customer_id) == 1
        uow.commit()

    recorder = Recording()
    assert deliver({EMAIL: recorder}).handled == 0
    assert recorder.sent == [] and envelope(container, message_id) is None


def test_a_message_erased_while_it_is_being_sent_is_not_brought_back(
    container, customer_id, enqueue, deliver
) -> None:
    kind = kinds(container)[outbox.OUTBOX_MESSAGE]

    class ErasingSender:
        def send(self, message):
            with container.uow() as uow:
                kind.erase(uow, customer_id)
                uow.commit()
            return "p-1"

    message_id = enqueue(customer_id)
    report = deliver({EMAIL: ErasingSender()})
    assert report.sent == 0 and envelope(container, message_id) is None


def test_merging_moves_a_waiting_message_to_the_survivor_and_it_still_goes(
    container, register, enqueue, deliver, personas
) -> None:
    survivor = register()
    duplicate = register({**ADA, "email": "ada.l@example.com"})
    message_id = enqueue(duplicate, to="ada.l@example.com")

    customers.merge(
        survivor,
        customers.MergeCustomers(
            duplicate_id=duplicate,
            reason="the same person registered twice",
            purpose="service",
        ),
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=kinds(container),
    )

    moved = envelope(container, message_id)
    assert (moved.customer_id, moved.status) == (survivor, Status.WAITING)
    recorder = Recording()
    assert deliver({EMAIL: recorder}).sent == 1
    # Opened under the survivor's key: the duplicate's was destroyed by the merge.
    assert recorder.sent[0].to == "ada.l@example.com"
    with pytest.raises(InvalidInput) as refused:
        enqueue(duplicate)
    assert refused.value.errors[0][0] == "customer_id"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": "fax"}, "channel"),
        ({"purpose": "no_such_purpose"}, "purpose"),
        # Identity verification does not use the email address.
        ({"purpose": "identity_verification"}, "purpose"),
        ({"to": "not an address"}, "to"),
        ({"channel": "sms", "to": "07700 900123", "subject": ""}, "to"),
        ({"subject": ""}, "subject"),
        ({"subject": "two\nlines"}, "subject"),
        ({"body": "  "}, "body"),
        ({"kind": "Not A Kind"}, "kind"),
        ({"quotes": frozenset({"no_such_field"})}, "quotes"),
    ],
)
def test_a_message_that_cannot_be_sent_as_asked_is_refused_naming_the_field(
    container, customer_id, enqueue, changes, field
) -> None:
    with pytest.raises(InvalidInput) as refused:
        enqueue(customer_id, **changes)
    assert field in {f for f, _ in refused.value.errors}
    with container.uow().reading() as uow:
        assert uow.outbox.for_customer(customer_id) == []


def test_a_message_needs_a_customer(container, enqueue) -> None:
    with pytest.raises(InvalidInput) as refused:
        enqueue("cus_" + "a" * 24)
    assert refused.value.errors == [("customer_id", "No such customer, or merged into another.")]
