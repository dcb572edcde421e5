"""Representatives on real storage (SQLite and PostgreSQL): their details, their own answers
and the decision's reason are sealed under the customer's key and read back whole; a
representative is verified with their own answers, the attempt naming them; the customer's
answers fail; and a verification of them lets a disclosure through only within their scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from clientkeep.adapters.db.representative_tables import representative
from clientkeep.adapters.db.verification_tables import verification_attempt
from clientkeep.customers import services as customers
from clientkeep.verification import disclosure as disclosures
from clientkeep.verification import representatives as reps
from clientkeep.verification.representative_model import OutsideScope
from tests.integration.record_kinds._storage import audit_events, canaries_found

CANARY_POSTCODE = "YO31 7QZ"
THEIRS = {"date_of_birth": "1961-07-02", "postcode": CANARY_POSTCODE}
ADAS = {"date_of_birth": "1979-03-14", "postcode": "SW1A 1AA"}


@pytest.fixture
def ada(container, personas) -> str:
    return customers.register(
        customers.RegisterCustomer(
            purpose="service",
            fields={
                "given_name": "Ada",
                "family_name": "Lovelace",
                "email": "ada@example.com",
                "phone": "020 7946 0018",
                **ADAS,
            },
            source="phone",
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id


def run(use_case, *args, container, persona, **kwargs):
    return use_case(
        *args,
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        **kwargs,
    )


def approved_rep(container, personas, ada, **overrides) -> str:
    command = {
        "name": "Byron Qzcanaryname",
        "relationship": "son",
        "authority": "lasting_power_of_attorney",
        "reference": "7000-1234-5678",
        "evidence_seen": "the registered LPA, Qzcanaryevidence",
        "scope_fields": ["email"],
        "scope_actions": ["disclose"],
        "answers": THEIRS,
    } | overrides
    rep_id = run(
        reps.record_representative,
        ada,
        reps.RecordRepresentative(**command),
        container=container,
        persona=personas.agent,
    ).representative_id
    run(
        reps.decide,
        ada,
        rep_id,
        reps.Decide(decision="approve", reason="checked Qzcanaryreason"),
        container=container,
        persona=personas.supervisor,
    )
    return rep_id


def test_details_answers_and_reason_are_sealed_and_read_back_whole(
    container, backend, personas, ada
) -> None:
    rep_id = approved_rep(container, personas, ada)
    with container.engine.connect() as conn:
        row = conn.execute(select(representative).where(representative.c.id == rep_id)).one()
    assert row.status == "approved" and row.authority == "lasting_power_of_attorney"
    for blob in (row.details, row.answers, row.decision):
        assert isinstance(blob, bytes) and b"Qz" not in blob and b"YO31" not in blob
    words = ["Qzcanaryname", "Qzcanaryevidence", "Qzcanaryreason", CANARY_POSTCODE, "1961-07-02"]
    assert canaries_found(container, backend, words) == set()
    with container.uow().reading() as uow:
        held = uow.representatives.get(rep_id)
    assert held is not None
    assert held.name == "Byron Qzcanaryname" and held.decision_reason == "checked Qzcanaryreason"
    assert dict(held.answers) == THEIRS


def test_only_their_own_answers_verify_them_and_the_attempt_names_them(
    container, personas, ada
) -> None:
    rep_id = approved_rep(container, personas, ada)
    check = reps.RepresentativeCheck
    customers_own = run(
        reps.check_representative,
        ada,
        check(representative_id=rep_id, answers=ADAS),
        container=container,
        persona=personas.agent,
    )
    assert not customers_own.verified
    done = run(
        reps.check_representative,
        ada,
        check(
            representative_id=rep_id, answers={"date_of_birth": "2/7/1961", "postcode": "yo317qz"}
        ),
        container=container,
        persona=personas.agent,
    )
    assert done.verified
    with container.engine.connect() as conn:
        rows = conn.execute(
            select(verification_attempt.c.representative_id, verification_attempt.c.passed)
            .where(verification_attempt.c.customer_id == ada)
            .order_by(verification_attempt.c.at)
        ).all()
    assert {(r.representative_id, r.passed) for r in rows} == {(rep_id, False), (rep_id, True)}
    events = audit_events(container, "customer.verified", ada)
    assert all("YO31" not in e.body.decode() and "1961" not in e.body.decode() for e in events)

    told = run(
        disclosures.disclose,
        ada,
        disclosures.Disclose(
            verification_id=done.verification_id or "",
            fields=["email"],
            channel="phone",
            recipient="her son",
            purpose="service",
        ),
        container=container,
        persona=personas.agent,
    )
    assert told.values == {"email": "ada@example.com"}
    with pytest.raises(OutsideScope):
        run(
            disclosures.disclose,
            ada,
            disclosures.Disclose(
                verification_id=done.verification_id or "",
                fields=["phone"],
                channel="phone",
                recipient="her son",
                purpose="service",
            ),
            container=container,
            persona=personas.agent,
        )
    assert [e.entry.fields for e in audit_events(container, "customer.disclosed", ada)] == [
        ("email",),
        (),
    ]


def test_an_expired_representative_cannot_pass(container, personas, ada) -> None:
    rep_id = approved_rep(container, personas, ada, expires_on=container.clock.now().date())
    container.clock.advance(timedelta(days=1))
    with pytest.raises(reps.NotActing):
        run(
            reps.check_representative,
            ada,
            reps.RepresentativeCheck(representative_id=rep_id, answers=THEIRS),
            container=container,
            persona=personas.agent,
        )
    listed = run(
        reps.representatives, ada, container=container, persona=personas.agent, purpose="service"
    )
    assert [(v.status, v.expired, v.acts_now) for v in listed] == [("approved", True, False)]
