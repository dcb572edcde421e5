"""One-time codes on real storage (SQLite and PostgreSQL): the code is nowhere in the
database in the clear, only its keyed digest; the message that carries it is sealed in the
outbox in the same transaction; a code is taken by one conditional update only; and a code
sent by SMTP arrives at a local server and works once."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from clientkeep.adapters.db.verification_tables import verification_code
from clientkeep.adapters.senders.smtp import SmtpSender
from clientkeep.config import SmtpSettings
from clientkeep.customers import services as customers
from clientkeep.outbox.model import Channel
from clientkeep.verification import one_time_codes as codes
from tests.integration.outbox._servers import smtp_server
from tests.integration.record_kinds._storage import audit_events, canaries_found

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada.lovelace@example.com",
    "phone": "020 7946 0018",
    "postcode": "SW1A 1AA",
}
CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
def ada(container, personas) -> str:
    return customers.register(
        customers.RegisterCustomer(purpose="service", fields=dict(ADA), source="phone"),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id


def send(container, persona, customer_id, channel="email"):
    return codes.send_code(
        customer_id,
        codes.SendCode(channel=channel),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        codes=container.one_time_codes,
    )


def check(container, persona, customer_id, code):
    return codes.check_code(
        customer_id,
        codes.CodeCheck(code=code),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        codes=container.one_time_codes,
    )


def code_in_outbox(container, customer_id) -> str:
    with container.uow().reading() as uow:
        [(_, content)] = uow.outbox.opened_for_customer(customer_id)
    return CODE.search(content.body).group(1)


def test_the_code_is_not_at_rest_in_the_clear_but_sealed_in_its_message(
    container, backend, personas, ada
) -> None:
    sent = send(container, personas.agent, ada)
    code = code_in_outbox(container, ada)
    assert code not in repr(sent)
    with container.engine.connect() as conn:
        [row] = conn.execute(select(verification_code)).all()
    assert row.customer_id == ada and row.used_at is None and len(row.digest) == 32
    # Neither the code, nor the address it went to, is readable anywhere at rest.
    assert canaries_found(container, backend, [code, ADA["email"]]) == set()
    [event] = audit_events(container, "customer.verification_code_sent", ada)
    assert event.entry.fields == ("email",) and code not in repr(event)


def test_a_code_works_once_and_only_the_latest_counts(container, personas, ada) -> None:
    send(container, personas.agent, ada)
    older = code_in_outbox(container, ada)
    container.clock.advance(timedelta(seconds=60))  # the policy's wait between two codes
    send(container, personas.agent, ada, "sms")
    with container.uow().reading() as uow:
        sent = {CODE.search(c.body).group(1) for _, c in uow.outbox.opened_for_customer(ada)}
    if len(sent) == 1:  # one chance in a million: the older one would pass as the newer
        pytest.skip("the two random codes are equal")
    [newer] = sent - {older}
    with container.engine.connect() as conn:
        assert len(conn.execute(select(verification_code)).all()) == 1

    assert check(container, personas.agent, ada, older).verified is False
    passed = check(container, personas.agent, ada, newer)
    assert passed.verified is True
    assert check(container, personas.agent, ada, newer).verified is False
    with container.engine.connect() as conn:
        [row] = conn.execute(select(verification_code)).all()
    assert row.used_at == container.clock.now()


def test_a_used_code_cannot_be_taken_again_by_a_second_update(container, personas, ada) -> None:
    send(container, personas.agent, ada)
    with container.uow().reading() as uow:
        current = uow.verifications.current_code(ada, personas.agent.actor.id)
    now = container.clock.now()
    with container.uow() as uow:
        assert uow.verifications.use_code(current.id, now) is True
        assert uow.verifications.use_code(current.id, now) is False
        uow.commit()


def test_a_code_sent_by_smtp_arrives_at_the_local_server_and_works_once(
    container, personas, ada
) -> None:
    with smtp_server() as (handler, port):
        container.senders = {
            Channel.EMAIL: SmtpSender(
                SmtpSettings(
                    host="127.0.0.1", port=port, tls="none", from_address="desk@example.org"
                )
            )
        }
        sent = send(container, personas.agent, ada, "email")
        assert handler.received == []  # nothing leaves before a delivery pass
        report = container.deliver_outbox()
    assert report.sent == 1
    [got] = handler.received
    assert got.recipients == [ADA["email"]]
    assert "verification code" in got.message["Subject"]
    code = CODE.search(got.message.get_content()).group(1)
    assert code not in repr(sent)

    assert check(container, personas.agent, ada, code).verified is True
    assert check(container, personas.agent, ada, code).verified is False
