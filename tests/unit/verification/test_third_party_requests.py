"""A third party's request is recorded pending, with fields the purpose shows the member; a
member holding disclosures.approve who did not record it approves some or all of the fields,
or refuses, with a reason; only an approved request answers a disclosure, once, about its own
customer, of approved fields. Each refusal tells nothing and writes no disclosure; no value
told and none of the request's words reach the trail."""

from __future__ import annotations

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.shared.errors import Conflict, InvalidInput, PermissionDenied
from clientkeep.verification import disclosure as disclosures
from clientkeep.verification import third_party
from clientkeep.verification.third_party_model import RequestNotApproved, SameMember
from tests.fakes.disclosures import FakeDisclosureRepository
from tests.fakes.verifications import FakeVerificationRepository
from tests.unit.conftest import GRACE, commits_forgotten

ASK = dict(
    requester="DC Sam Example",
    organisation="Example Constabulary",
    identity_check="called back on the force's switchboard",
    basis="crime_and_taxation",
    reference="CR/2026/0042",
    reason="an inquiry into a fraud",
)
WORDS = ("DC Sam", "Constabulary", "switchboard", "CR/2026", "fraud")


@pytest.fixture
def ada(uow, register) -> str:
    uow.verifications = FakeVerificationRepository()
    uow.disclosures = FakeDisclosureRepository()
    return register().customer.id


@pytest.fixture
def record(uow, policy, clock, personas):
    def _record(customer_id, fields, *, by=None, **changes):
        return third_party.record_request(
            customer_id,
            third_party.RecordRequest(**{**ASK, **changes}, fields=fields),
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )

    return _record


@pytest.fixture
def decide(uow, policy, clock, personas):
    def _decide(request_id, decision="approve", *, fields=None, by=None, reason="checked"):
        return third_party.decide(
            request_id,
            third_party.DecideRequest(decision=decision, reason=reason, fields=fields),
            uow=uow,
            actor=(by or personas.supervisor).actor,
            policy=policy,
            clock=clock,
        )

    return _decide


@pytest.fixture
def disclose(uow, policy, clock, personas):
    def _disclose(customer_id, request_id, fields, *, by=None):
        return disclosures.disclose(
            customer_id,
            disclosures.Disclose(
                verification_id=None,
                request_id=request_id,
                fields=fields,
                channel="email",
                recipient="DC Sam Example",
            ),
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )

    return _disclose


def trail_text(uow) -> str:
    return " ".join(repr(e) + e.body.decode() for e in uow.audit.events)


def test_a_request_is_recorded_pending_and_audited_by_field_name(ada, record, uow) -> None:
    made = record(ada, ["email", "phone"])
    held = uow.third_party_requests.get(made.id)
    assert held is not None and held.status == "pending"
    assert held.fields == ("email", "phone") and held.purpose == "service"
    assert held.details.reference == "CR/2026/0042"
    event = uow.audit.events[-1].entry
    assert (event.action, event.customer_id, event.fields) == (
        "third_party_request.recorded",
        ada,
        ("email", "phone"),
    )
    assert event.detail == {"request_id": made.id, "basis": "crime_and_taxation"}
    assert not any(w in trail_text(uow) for w in WORDS)


def test_fields_the_purpose_does_not_show_and_bad_words_are_refused_by_name(
    ada, record, uow
) -> None:
    with pytest.raises(InvalidInput) as bad:
        record(ada, ["email", "accessibility_needs", "email"], basis="nope", requester="")
    assert [f for f, _ in bad.value.errors] == ["basis", "requester", "fields.1", "fields.2"]
    assert uow.third_party_requests.rows == {}


def test_four_eyes_the_capability_and_one_decision(ada, record, decide, uow, personas) -> None:
    made = record(ada, ["email", "phone"], by=personas.supervisor)
    with pytest.raises(SameMember):
        decide(made.id, by=personas.supervisor)
    denied = uow.audit.events[-1].entry
    assert (denied.action, denied.outcome, denied.customer_id) == (
        "third_party_request.decided",
        Outcome.DENIED,
        ada,
    )
    with pytest.raises(PermissionDenied):
        decide(made.id, by=personas.agent)
    assert uow.third_party_requests.get(made.id).status == "pending"
    with pytest.raises(InvalidInput) as bad:
        decide(made.id, by=personas.dpo, fields=["postcode"])
    assert bad.value.errors[0][0] == "fields.0"
    with pytest.raises(InvalidInput):
        decide(made.id, by=personas.dpo, reason=" ")
    done = decide(made.id, by=personas.dpo, fields=["phone"], reason="crime number confirmed")
    assert (done.status, done.approved_fields, done.decided_by) == (
        "approved",
        ("phone",),
        personas.dpo.actor.id,
    )
    assert uow.third_party_requests.get(made.id).decision == "crime number confirmed"
    with pytest.raises(Conflict):
        decide(made.id, by=personas.dpo, decision="refuse")


def test_no_disclosure_on_a_pending_or_refused_request(ada, record, decide, disclose, uow) -> None:
    pending = record(ada, ["email"])
    with pytest.raises(RequestNotApproved):
        disclose(ada, pending.id, ["email"])
    decide(pending.id, "refuse")
    with pytest.raises(RequestNotApproved):
        disclose(ada, pending.id, ["email"])
    assert uow.disclosures.rows == {}
    refusals = [e.entry for e in uow.audit.events if e.entry.action == "customer.disclosed"]
    assert [e.outcome for e in refusals] == [Outcome.DENIED] * 2


def test_an_approved_request_answers_once_and_only_its_approved_fields(
    ada, record, decide, disclose, uow
) -> None:
    made = record(ada, ["email", "phone"])
    decide(made.id, fields=["email"])
    with pytest.raises(RequestNotApproved):
        disclose(ada, made.id, ["email", "phone"])
    done = disclose(ada, made.id, ["email"])
    assert done.values == {"email": "Ada.Lovelace@example.com"}
    [row] = uow.disclosures.rows.values()
    assert (row.request_id, row.verification_id) == (made.id, None)
    held = uow.third_party_requests.get(made.id)
    assert (held.status, held.disclosure_id) == ("disclosed", done.disclosure_id)
    with pytest.raises(RequestNotApproved):
        disclose(ada, made.id, ["email"])
    assert len(uow.disclosures.rows) == 1
    text = trail_text(uow)
    for value in ("ada.lovelace@example.com", "7946", *WORDS):
        assert value.casefold() not in text.casefold()


def test_another_customers_request_is_refused(ada, record, decide, disclose, register, uow) -> None:
    grace = register(GRACE).customer.id
    theirs = record(grace, ["email"])
    decide(theirs.id)
    with pytest.raises(RequestNotApproved):
        disclose(ada, theirs.id, ["email"])
    assert uow.disclosures.rows == {}
    assert uow.third_party_requests.get(theirs.id).status == "approved"


def test_the_log_names_the_request_its_basis_and_who_approved_it(
    ada, record, decide, disclose, uow, policy, personas
) -> None:
    made = record(ada, ["email"])
    decide(made.id)
    disclose(ada, made.id, ["email"])
    [entry] = disclosures.disclosure_log(
        ada, purpose="service", uow=uow, actor=personas.agent.actor, policy=policy
    )
    assert entry.request_id == made.id and entry.verification_id is None
    assert entry.basis.startswith(f"third-party request {made.id} (Prevention or detection")
    assert entry.basis.endswith("approved by stf_supervisor")


def test_a_forgotten_commit_keeps_nothing(ada, record, uow) -> None:
    with commits_forgotten(uow):
        record(ada, ["email"])
    assert uow.third_party_requests.rows == {}


def test_words_are_shown_only_where_the_purpose_shows_every_field_asked(
    ada, record, uow, policy, personas
) -> None:
    record(ada, ["email"])
    record(ada, ["phone"])
    views = third_party.customer_requests(
        ada, purpose="billing", uow=uow, actor=personas.supervisor.actor, policy=policy
    )
    shown = {v.fields: v.details is not None for v in views}
    # Billing declares the email, not the phone.
    assert shown == {("email",): True, ("phone",): False}
    assert uow.audit.events[-1].entry.fields == ("email",)
