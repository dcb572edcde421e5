"""A representative is recorded pending, with a scope within what the purpose shows the
recorder and their own answers (normalised, never returned or audited); another member with
``disclosures.approve`` approves or refuses them, and an approved one may be revoked. Only an
approved, unexpired representative of the customer is verified, with their own answers (the
customer's fail); a verification of one lets staff tell them only what the scope covers."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.shared.clock import FixedClock
from clientkeep.shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from clientkeep.verification import disclosure as disclosures
from clientkeep.verification import representatives as reps
from clientkeep.verification import services as verification
from clientkeep.verification.model import Method, NotVerified, VerificationLocked
from clientkeep.verification.representative_model import FourEyes, OutsideScope
from tests.fakes.disclosures import FakeDisclosureRepository
from tests.fakes.verifications import FakeVerificationRepository

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada@example.com",
    "phone": "020 7946 0018",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1979-03-14",
}
ADAS_ANSWERS = {"date_of_birth": "1979-03-14", "postcode": "SW1A 1AA"}
# The representative's own, in the format typed on the phone; the canary postcode is theirs.
CANARY_POSTCODE = "YO31 7QZ"
THEIR_ANSWERS = {"date_of_birth": "2 July 1961", "postcode": CANARY_POSTCODE}
SAID_BACK = {"date_of_birth": "02/07/1961", "postcode": "yo317qz"}


@pytest.fixture
def ada(uow, register) -> str:
    uow.verifications = FakeVerificationRepository()
    uow.disclosures = FakeDisclosureRepository()
    return register(ADA).customer.id


@pytest.fixture
def record(uow, policy, clock, personas):
    def _record(customer_id, *, by=None, **overrides):
        command = {
            "name": "Byron Lovelace",
            "relationship": "son",
            "authority": "lasting_power_of_attorney",
            "reference": "7000-1234-5678",
            "evidence_seen": "the registered LPA, original",
            "scope_fields": ["email", "phone"],
            "scope_actions": ["disclose"],
            "answers": THEIR_ANSWERS,
        } | overrides
        return reps.record_representative(
            customer_id,
            reps.RecordRepresentative(**command),
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        ).representative_id

    return _record


@pytest.fixture
def decide(uow, policy, clock, personas):
    def _decide(customer_id, rep_id, decision, *, by=None, reason="LPA checked with the OPG"):
        return reps.decide(
            customer_id,
            rep_id,
            reps.Decide(decision=decision, reason=reason),
            uow=uow,
            actor=(by or personas.supervisor).actor,
            policy=policy,
            clock=clock,
        )

    return _decide


@pytest.fixture
def check(uow, policy, clock, personas):
    def _check(customer_id, rep_id, answers, *, by=None):
        return reps.check_representative(
            customer_id,
            reps.RepresentativeCheck(representative_id=rep_id, answers=answers),
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )

    return _check


@pytest.fixture
def approved(ada, record, decide) -> str:
    rep_id = record(ada)
    decide(ada, rep_id, "approve")
    return rep_id


def disclose(uow, policy, clock, actor, customer_id, verification_id, fields):
    return disclosures.disclose(
        customer_id,
        disclosures.Disclose(
            verification_id=verification_id,
            fields=fields,
            channel="phone",
            recipient="her son, with authority",
            purpose="service",
        ),
        uow=uow,
        actor=actor,
        policy=policy,
        clock=clock,
    )


def test_recorded_pending_with_their_own_answers_normalised_and_audited_without_them(
    ada, record, uow
) -> None:
    rep_id = record(ada)
    held = uow.representatives.get(rep_id)
    assert held.status == "pending" and held.customer_id == ada and held.purpose == "service"
    assert held.answers == {"date_of_birth": "1961-07-02", "postcode": CANARY_POSTCODE}
    event = uow.audit.events[-1].entry
    assert event.action == "customer.representative_recorded" and event.customer_id == ada
    assert event.detail["scope_fields"] == "email,phone"
    assert "1961" not in repr(event) and "YO31" not in repr(event)
    assert "1961" not in repr(held) and "YO31" not in repr(held)


def test_bad_input_names_every_field_at_fault_and_records_nothing(ada, record, uow) -> None:
    before = len(uow.audit.events)
    with pytest.raises(InvalidInput) as bad:
        record(
            ada,
            name=" ",
            authority="power_of_a_friend",
            scope_fields=["email", "accessibility_needs", "email", "date_of_birth_x"],
            scope_actions=["disclose", "delete"],
            answers={"date_of_birth": "31/02/1961", "postcode": "YO31 7QZ"},
            expires_on=date(2026, 1, 1),
        )
    fields = [f for f, _ in bad.value.errors]
    assert fields == [
        "name",
        "authority",
        "scope.fields.1",
        "scope.fields.2",
        "scope.fields.3",
        "scope.actions.1",
        "expires_on",
        "answers.date_of_birth",
    ]
    with pytest.raises(InvalidInput) as few:
        record(ada, answers={"postcode": "YO31 7QZ"})
    assert [f for f, _ in few.value.errors] == ["answers"]
    # The customer's reference is the customer's: no answer a representative gives.
    with pytest.raises(InvalidInput) as theirs:
        record(ada, answers={"postcode": "YO31 7QZ", "customer_reference": "CK-7KQ4M2PX"})
    assert [f for f, _ in theirs.value.errors] == ["answers.customer_reference"]
    assert uow.representatives.for_customer(ada) == []
    assert len(uow.audit.events) == before
    assert "YO31" not in repr([bad.value.errors, few.value.errors])


def test_the_scope_must_be_shown_to_the_recorder_under_the_purpose(ada, record) -> None:
    # Billing does not use the phone.
    with pytest.raises(InvalidInput) as bad:
        record(ada, purpose="billing", scope_fields=["email", "phone"])
    assert [f for f, _ in bad.value.errors] == ["scope.fields.1"]


def test_approval_needs_the_capability_and_another_member(
    ada, record, decide, personas, uow
) -> None:
    rep_id = record(ada, by=personas.supervisor)
    with pytest.raises(PermissionDenied):
        decide(ada, rep_id, "approve", by=personas.agent)
    assert uow.audit.events[-1].entry.outcome is Outcome.DENIED
    with pytest.raises(FourEyes):
        decide(ada, rep_id, "approve", by=personas.supervisor)
    denied = uow.audit.events[-1].entry
    assert (denied.action, denied.outcome) == ("customer.representative_decided", Outcome.DENIED)
    assert uow.representatives.get(rep_id).status == "pending"
    done = decide(ada, rep_id, "approve", by=personas.dpo)
    assert done.status == "approved"
    held = uow.representatives.get(rep_id)
    assert (held.decided_by, held.decision_reason) == (
        personas.dpo.actor.id,
        "LPA checked with the OPG",
    )


def test_decisions_follow_the_states(ada, record, decide) -> None:
    first, second = record(ada), record(ada)
    with pytest.raises(Conflict):
        decide(ada, first, "revoke")
    decide(ada, first, "approve")
    with pytest.raises(Conflict):
        decide(ada, first, "approve")
    with pytest.raises(Conflict):
        decide(ada, first, "refuse")
    assert decide(ada, first, "revoke").status == "revoked"
    assert decide(ada, second, "refuse").status == "refused"
    with pytest.raises(Conflict):
        decide(ada, second, "approve")
    with pytest.raises(InvalidInput) as bad:
        decide(ada, second, "maybe", reason="")
    assert [f for f, _ in bad.value.errors] == ["decision", "reason"]


def test_a_representative_of_another_customer_is_not_found(
    ada, record, decide, register, check
) -> None:
    other = register({"given_name": "Grace", "family_name": "Hopper", "email": "g@example.net"})
    rep_id = record(ada)
    with pytest.raises(NotFound):
        decide(other.customer.id, rep_id, "approve")
    with pytest.raises(NotFound):
        check(other.customer.id, rep_id, SAID_BACK)


def test_an_approved_representative_is_verified_with_their_own_answers_only(
    ada, approved, check, uow
) -> None:
    customers_own = check(ada, approved, ADAS_ANSWERS)
    assert not customers_own.verified and customers_own.attempts_left == 2
    done = check(ada, approved, SAID_BACK)
    assert done.verified and done.verification_id is not None
    held = uow.verifications.get(done.verification_id)
    assert held.method is Method.REPRESENTATIVE and held.representative_id == approved
    event = uow.audit.events[-1].entry
    assert event.action == "customer.verified" and event.detail["representative_id"] == approved
    assert event.fields == ("date_of_birth", "postcode")
    assert "1961" not in repr(uow.audit.events) and "YO31" not in repr(uow.audit.events)


def test_pending_refused_revoked_or_expired_representatives_cannot_pass(
    ada, record, decide, check, clock: FixedClock, uow
) -> None:
    pending = record(ada)
    refused = record(ada)
    decide(ada, refused, "refuse")
    revoked = record(ada)
    decide(ada, revoked, "approve")
    decide(ada, revoked, "revoke")
    expiring = record(ada, expires_on=clock.now().date())
    decide(ada, expiring, "approve")
    assert check(ada, expiring, SAID_BACK).verified
    clock.advance(timedelta(days=1))
    for rep_id in (pending, refused, revoked, expiring):
        with pytest.raises(PermissionDenied):
            check(ada, rep_id, SAID_BACK)
        assert uow.audit.events[-1].entry.outcome is Outcome.DENIED
    # None of them cost the customer an attempt.
    assert uow.verifications.failures_since(ada, clock.now() - timedelta(days=2)) == []


def test_failures_count_toward_the_customers_one_lockout(
    ada, approved, check, uow, policy, clock, personas
) -> None:
    wrong = {"date_of_birth": "1990-01-01", "postcode": "M1 1AE"}
    assert [check(ada, approved, wrong).attempts_left for _ in range(3)] == [2, 1, 0]
    with pytest.raises(VerificationLocked):
        verification.check_knowledge(
            ada,
            verification.KnowledgeCheck(answers=ADAS_ANSWERS),
            uow=uow,
            actor=personas.agent.actor,
            policy=policy,
            clock=clock,
        )
    with pytest.raises(VerificationLocked):
        check(ada, approved, SAID_BACK)


def test_a_representative_is_told_only_what_the_scope_covers(
    ada, approved, check, uow, policy, clock, personas
) -> None:
    agent = personas.agent.actor
    ver = check(ada, approved, SAID_BACK).verification_id
    told = disclose(uow, policy, clock, agent, ada, ver, ["email"])
    assert told.values == {"email": "ada@example.com"}
    before = len(uow.disclosures.rows)
    with pytest.raises(OutsideScope) as outside:
        disclose(uow, policy, clock, agent, ada, ver, ["email", "date_of_birth"])
    assert "date_of_birth" in outside.value.message and "1979" not in outside.value.message
    assert len(uow.disclosures.rows) == before
    last = uow.audit.events[-1].entry
    assert (last.action, last.outcome) == ("customer.disclosed", Outcome.DENIED)


def test_the_scope_covers_actions_too(ada, approved, check, uow, clock, personas) -> None:
    ver = check(ada, approved, SAID_BACK).verification_id
    with pytest.raises(OutsideScope) as outside, uow:
        verification.require_verified(
            uow,
            ver,
            customer_id=ada,
            actor=personas.agent.actor,
            now=clock.now(),
            fields=["email"],
            action="update",
        )
    assert "update" in outside.value.message


def test_a_verification_stops_proving_a_representative_once_revoked(
    ada, approved, check, decide, uow, policy, clock, personas
) -> None:
    ver = check(ada, approved, SAID_BACK).verification_id
    decide(ada, approved, "revoke", reason="the LPA was revoked by the court")
    with pytest.raises(NotVerified):
        disclose(uow, policy, clock, personas.agent.actor, ada, ver, ["email"])


def test_the_list_shows_everything_but_the_answers_and_is_audited(
    ada, approved, record, uow, policy, clock, personas
) -> None:
    clock.advance(timedelta(minutes=1))
    record(ada, name="Annabella Milbanke", relationship="mother")
    found = reps.representatives(
        ada, purpose="service", uow=uow, actor=personas.agent.actor, policy=policy, clock=clock
    )
    assert [v.status for v in found] == ["pending", "approved"]
    first = found[1]
    assert (first.name, first.reference, first.scope_fields) == (
        "Byron Lovelace",
        "7000-1234-5678",
        ("email", "phone"),
    )
    assert first.acts_now and first.decided_by == personas.supervisor.actor.id
    assert first.decision_reason == "LPA checked with the OPG"
    text = repr(found) + " ".join(
        f"{v.name} {v.relationship} {v.reference} {v.evidence_seen} {v.decision_reason}"
        for v in found
    )
    assert "YO31" not in text and "1961" not in text
    event = uow.audit.events[-1].entry
    assert (event.action, event.customer_id, event.purpose) == (
        "customer.representatives_read",
        ada,
        "service",
    )
    with pytest.raises(PermissionDenied):
        reps.representatives(
            ada,
            purpose="marketing",
            uow=uow,
            actor=personas.agent.actor,
            policy=policy,
            clock=clock,
        )
