"""A verified caller is told only what the purpose shows the member who verified them, as
the record shows it; every disclosure is logged (field names and a recipient, never values)
in the same unit as its audit event; without a verification that proves the caller to this
member about this customer now, nothing is shown and only the refusal is recorded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.shared.clock import FixedClock
from clientkeep.shared.errors import InvalidInput, NotFound
from clientkeep.verification import disclosure as disclosures
from clientkeep.verification import services as verification
from clientkeep.verification.model import NotVerified
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
RIGHT = {"date_of_birth": "14/03/1979", "postcode": "sw1a1aa"}


@pytest.fixture
def ada(uow, register) -> str:
    uow.verifications = FakeVerificationRepository()
    uow.disclosures = FakeDisclosureRepository()
    return register(ADA).customer.id


@pytest.fixture
def verify(uow, policy, clock, personas):
    def _verify(customer_id, *, by=None) -> str:
        done = verification.check_knowledge(
            customer_id,
            verification.KnowledgeCheck(answers=RIGHT),
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )
        assert done.verification_id is not None
        return done.verification_id

    return _verify


@pytest.fixture
def disclose(uow, policy, clock, personas):
    def _disclose(customer_id, verification_id, fields, *, by=None, purpose="service"):
        return disclosures.disclose(
            customer_id,
            disclosures.Disclose(
                verification_id=verification_id,
                fields=fields,
                channel="phone",
                recipient="the caller, Ada herself",
                purpose=purpose,
            ),
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )

    return _disclose


def test_a_verified_caller_is_told_the_fields_asked_for_as_the_record_shows_them(
    ada, verify, disclose, uow, personas
) -> None:
    ver = verify(ada)
    done = disclose(ada, ver, ["email", "phone"])
    assert done.disclosure_id.startswith("dis_")
    assert done.values == {"email": "ada@example.com", "phone": "020 7946 0018"}
    [row] = uow.disclosures.for_customer(ada)
    assert (row.id, row.fields, row.verification_id) == (
        done.disclosure_id,
        ("email", "phone"),
        ver,
    )
    assert (row.staff_id, row.channel, row.purpose) == (personas.agent.actor.id, "phone", "service")
    assert row.recipient == "the caller, Ada herself"
    event = uow.audit.events[-1].entry
    assert (event.action, event.outcome) == ("customer.disclosed", Outcome.SUCCESS)
    assert event.fields == ("email", "phone") and event.customer_id == ada
    assert event.detail["disclosure_id"] == done.disclosure_id
    text = repr(uow.audit.events[-1])
    for value in ("ada@example.com", "7946", "Ada herself"):
        assert value not in text


def test_without_a_verification_nothing_is_shown_and_only_the_refusal_is_recorded(
    ada, disclose, uow
) -> None:
    events = len(uow.audit.events)
    for given in (None, "ver_unknown"):
        with pytest.raises(NotVerified):
            disclose(ada, given, ["email"])
    assert uow.disclosures.rows == {}
    refusals = [e.entry for e in uow.audit.events[events:]]
    assert [(e.action, e.outcome) for e in refusals] == [("customer.disclosed", Outcome.DENIED)] * 2
    assert all(e.customer_id == ada and e.fields == () for e in refusals)


def test_another_members_another_customers_or_an_expired_verification_is_refused(
    ada, verify, disclose, uow, register, personas, clock: FixedClock
) -> None:
    grace = register({"given_name": "Grace", "family_name": "Hopper", "email": "g@example.net"})
    ver = verify(ada)
    with pytest.raises(NotVerified):
        disclose(ada, ver, ["email"], by=personas.supervisor)
    with pytest.raises(NotVerified):
        disclose(grace.customer.id, ver, ["email"])
    clock.advance(timedelta(minutes=15))
    with pytest.raises(NotVerified):
        disclose(ada, ver, ["email"])
    assert uow.disclosures.rows == {}
    assert uow.audit.events[-1].entry.outcome is Outcome.DENIED


@pytest.mark.parametrize(
    ("purpose", "fields", "at_fault"),
    [
        ("billing", ["email", "phone"], "fields.1"),  # billing does not declare the phone
        ("service", ["email", "accessibility_needs"], "fields.1"),  # special: not an agent's
        ("identity_verification", ["postcode"], "fields.0"),  # compare-only
        ("service", ["no_such_field"], "fields.0"),
    ],
)
def test_a_field_the_purpose_does_not_show_is_named_and_nothing_is_told(
    ada, verify, disclose, uow, purpose, fields, at_fault
) -> None:
    ver = verify(ada)
    with pytest.raises(InvalidInput) as refused:
        disclose(ada, ver, fields, purpose=purpose)
    assert [f for f, _ in refused.value.errors] == [at_fault]
    assert uow.disclosures.rows == {}
    assert uow.audit.events[-1].entry.action == "customer.verified"


def test_the_log_lists_disclosures_newest_first_and_shows_to_whom_only_with_the_fields(
    ada, verify, disclose, uow, policy, personas, clock: FixedClock
) -> None:
    ver = verify(ada)
    first = disclose(ada, ver, ["email"])
    clock.advance(timedelta(minutes=1))
    second = disclose(ada, ver, ["phone"])
    log = disclosures.disclosure_log(
        ada, purpose="billing", uow=uow, actor=personas.agent.actor, policy=policy
    )
    assert [v.id for v in log] == [second.disclosure_id, first.disclosure_id]
    # Billing shows the email, not the phone: who heard the phone number is not its business.
    assert [v.recipient for v in log] == [None, "the caller, Ada herself"]
    assert [v.fields for v in log] == [("phone",), ("email",)]
    event = uow.audit.events[-1].entry
    assert (event.action, event.purpose, event.fields) == (
        "customer.disclosures_read",
        "billing",
        ("email",),
    )


def test_the_page_after_shows_the_values_again_only_to_its_member_while_verified(
    ada, verify, disclose, uow, policy, personas, clock: FixedClock
) -> None:
    done = disclose(ada, verify(ada), ["email"])

    def again(by):
        return disclosures.shown_again(
            ada, done.disclosure_id, uow=uow, actor=by.actor, policy=policy, clock=clock
        )

    assert again(personas.agent).values == {"email": "ada@example.com"}
    event = uow.audit.events[-1].entry
    assert (event.action, event.fields) == ("customer.read", ("email",))
    with pytest.raises(NotFound):
        again(personas.supervisor)
    clock.advance(timedelta(minutes=15))
    with pytest.raises(NotVerified):
        again(personas.agent)
    assert len(uow.disclosures.rows) == 1


def test_a_blank_recipient_or_an_unknown_channel_is_named(
    ada, verify, uow, policy, clock, personas
) -> None:
    ver = verify(ada)
    with pytest.raises(InvalidInput) as refused:
        disclosures.disclose(
            ada,
            disclosures.Disclose(
                verification_id=ver, fields=["email"], channel="fax", recipient=" "
            ),
            uow=uow,
            actor=personas.agent.actor,
            policy=policy,
            clock=clock,
        )
    assert [f for f, _ in refused.value.errors] == ["channel", "recipient"]
    assert uow.disclosures.rows == {}
