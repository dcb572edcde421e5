"""Third parties' requests in the database: a request is decided once and answered once even
when two try at the same time (conditional updates), the queue pages across customers oldest
first, and a disclosure answering a request stores the request and no verification."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from clientkeep.adapters.db.disclosure_tables import disclosure
from clientkeep.adapters.db.representative_tables import third_party_request
from clientkeep.verification import disclosure as disclosures
from clientkeep.verification import third_party
from clientkeep.verification.third_party_model import RequestNotApproved, RequestStatus
from tests.integration.record_kinds.drivers import Canaries
from tests.integration.record_kinds.drivers_third_party import ThirdPartyRequestDriver


def _record(container, personas, customer_id, fields=("email",)):
    return third_party.record_request(
        customer_id,
        third_party.RecordRequest(
            requester="Ms Jo Example",
            organisation="Example Solicitors LLP",
            identity_check="letter on headed paper, called back on the firm's listed number",
            basis="legal_proceedings",
            reference="JE/77",
            reason="a claim the customer is a witness in",
            fields=list(fields),
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )


def _customer(container, personas) -> str:
    return ThirdPartyRequestDriver(container, personas).register(Canaries(), as_duplicate=False)[0]


def test_a_decision_and_an_answer_each_take_effect_once(container, personas) -> None:
    customer_id = _customer(container, personas)
    made = _record(container, personas, customer_id)
    with container.engine.connect() as conn:
        [row] = conn.execute(
            select(third_party_request).where(third_party_request.c.id == made.id)
        ).all()
    assert b"Jo Example" not in row.details and row.decision is None
    decided = third_party.decide(
        made.id,
        third_party.DecideRequest(decision="approve", reason="court claim number seen"),
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
    )
    with container.uow() as uow:
        # A second decision racing the first finds it no longer pending.
        assert uow.third_party_requests.decide(decided) is False
        assert uow.third_party_requests.mark_disclosed(made.id, "dis_first") is True
        assert uow.third_party_requests.mark_disclosed(made.id, "dis_second") is False
        uow.commit()
    with container.uow().reading() as uow:
        held = uow.third_party_requests.get(made.id)
    assert held is not None
    assert (held.status, held.disclosure_id) == (RequestStatus.DISCLOSED, "dis_first")
    assert held.decision == "court claim number seen"
    with pytest.raises(RequestNotApproved):
        disclosures.disclose(
            customer_id,
            disclosures.Disclose(
                verification_id=None,
                request_id=made.id,
                fields=["email"],
                channel="letter",
                recipient="Ms Jo Example",
            ),
            uow=container.uow(),
            actor=personas.agent.actor,
            policy=container.policy,
            clock=container.clock,
        )


def test_a_disclosure_on_a_request_stores_the_request_and_no_verification(
    container, personas
) -> None:
    customer_id = _customer(container, personas)
    made = _record(container, personas, customer_id, ("email", "town"))
    third_party.decide(
        made.id,
        third_party.DecideRequest(decision="approve", reason="seen", fields=["town"]),
        uow=container.uow(),
        actor=personas.dpo.actor,
        policy=container.policy,
        clock=container.clock,
    )
    done = disclosures.disclose(
        customer_id,
        disclosures.Disclose(
            verification_id=None,
            request_id=made.id,
            fields=["town"],
            channel="letter",
            recipient="Ms Jo Example",
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    with container.engine.connect() as conn:
        [row] = conn.execute(select(disclosure).where(disclosure.c.id == done.disclosure_id)).all()
    assert (row.request_id, row.verification_id) == (made.id, None)
    [entry] = disclosures.disclosure_log(
        customer_id,
        purpose="service",
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
    )
    assert entry.basis.endswith("approved by dpo.one (dpo)")


def test_the_queue_pages_across_customers_oldest_first(container, personas) -> None:
    made = []
    for _ in range(3):
        made.append(_record(container, personas, _customer(container, personas)).id)
        container.clock.advance(timedelta(seconds=5))
    seen, cursor = [], None
    while True:
        page = third_party.queue(
            limit=2,
            cursor=cursor,
            uow=container.uow(),
            actor=personas.supervisor.actor,
            policy=container.policy,
        )
        seen += [v.id for v in page.items]
        assert all(v.details is None and v.customer_name for v in page.items)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == made
