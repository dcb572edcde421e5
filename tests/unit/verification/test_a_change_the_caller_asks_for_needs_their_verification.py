"""A change the caller asks for is made only on a verification that proves this caller to this
member of staff about this customer now (a representative's only within their scope); its
audit event names the verification. Without one nothing is written and the refusal is
recorded. An internal correction says where it came from, never a caller channel."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.customers import services as customers
from clientkeep.customers.model import ChangeKind
from clientkeep.shared.clock import FixedClock
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import new_id
from clientkeep.verification import caller_changes
from clientkeep.verification import services as verification
from clientkeep.verification.model import Method, NotVerified, Verification
from clientkeep.verification.representative_model import (
    Authority,
    OutsideScope,
    Representative,
    Status,
)
from tests.fakes.verifications import FakeVerificationRepository
from tests.unit.conftest import ADA, GRACE

RIGHT = {"date_of_birth": "10/12/1985", "postcode": "SW1A 1AA"}
MOVE = {"town": "Leeds"}


@pytest.fixture
def ada(uow, register) -> str:
    uow.verifications = FakeVerificationRepository()
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
def for_caller(uow, policy, clock, personas):
    def _change(customer_id, verification_id, fields=MOVE, *, by=None, source=None):
        return caller_changes.update_for_caller(
            customer_id,
            customers.UpdateCustomer(
                purpose="service", fields=fields, reason="moved house", source=source
            ),
            verification_id,
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
        )

    return _change


@pytest.fixture
def internal(uow, policy, clock, personas):
    def _change(customer_id, source, fields=MOVE, **extra):
        return customers.update(
            customer_id,
            customers.UpdateCustomer(
                purpose="service", fields=fields, reason="moved house", source=source, **extra
            ),
            uow=uow,
            actor=personas.agent.actor,
            policy=policy,
            clock=clock,
        )

    return _change


def stored(uow, customer_id):
    """What a refusal must leave as it was: the record, its history, its index terms."""
    return (
        uow.customers.get(customer_id),
        uow.history.for_customer(customer_id),
        set(uow.customers.terms.get(customer_id, set())),
    )


def test_a_verified_callers_change_is_made_and_its_event_names_the_verification(
    ada, verify, for_caller, uow, personas
) -> None:
    ver = verify(ada)
    view = for_caller(ada, ver)
    assert view.fields["town"].value == "Leeds"
    assert view.fields["town"].source == "phone"  # how the caller reached us, by default
    event = uow.audit.events[-1].entry
    assert (event.action, event.outcome, event.customer_id) == (
        "customer.updated",
        Outcome.SUCCESS,
        ada,
    )
    assert event.fields == ("town",)
    assert event.detail["verification_id"] == ver and event.detail["source"] == "phone"
    [change] = [c for c in uow.history.for_customer(ada) if c.kind is ChangeKind.RECTIFIED]
    assert (change.old_value, change.new_value, change.reason) == ("London", "Leeds", "moved house")
    assert change.changed_by == personas.agent.actor.id


def test_a_caller_in_person_is_recorded_so(ada, verify, for_caller, uow) -> None:
    view = for_caller(ada, verify(ada), source="in_person")
    assert view.fields["town"].source == "in_person"
    assert uow.audit.events[-1].entry.detail["source"] == "in_person"


@pytest.mark.parametrize("given", [None, "", "ver_unknown"])
def test_without_a_verification_nothing_is_written_and_the_refusal_is_recorded(
    ada, for_caller, uow, given
) -> None:
    before, events = stored(uow, ada), len(uow.audit.events)
    with pytest.raises(NotVerified):
        for_caller(ada, given)
    assert stored(uow, ada) == before
    [refusal] = [e.entry for e in uow.audit.events[events:]]
    assert (refusal.action, refusal.outcome, refusal.customer_id) == (
        "customer.updated",
        Outcome.DENIED,
        ada,
    )
    assert refusal.detail == {"refused": "not_verified"}


def test_another_customers_another_members_or_an_expired_verification_is_refused(
    ada, verify, for_caller, uow, register, personas, clock: FixedClock
) -> None:
    grace = register(GRACE).customer.id
    ver = verify(ada)
    before = (stored(uow, ada), stored(uow, grace))
    events = len(uow.audit.events)
    with pytest.raises(NotVerified):
        for_caller(grace, ver)  # Ada's verification, Grace's record
    with pytest.raises(NotVerified):
        for_caller(ada, ver, by=personas.supervisor)  # verified by the agent, not by them
    clock.advance(timedelta(minutes=15))
    with pytest.raises(NotVerified):
        for_caller(ada, ver)  # past its expiry
    assert (stored(uow, ada), stored(uow, grace)) == before
    refusals = [e.entry for e in uow.audit.events[events:]]
    assert [(e.action, e.outcome) for e in refusals] == [("customer.updated", Outcome.DENIED)] * 3
    assert [e.customer_id for e in refusals] == [grace, ada, ada]


def test_a_change_on_behalf_of_the_customer_without_a_check_is_refused(
    ada, uow, policy, clock, personas
) -> None:
    """Customer records alone cannot make a caller's change: there is nothing to check."""
    before, events = stored(uow, ada), len(uow.audit.events)
    with pytest.raises(PermissionDenied, match="Verify the caller first"):
        customers.update(
            ada,
            customers.UpdateCustomer(
                purpose="service", fields=MOVE, reason="moved", on_behalf_of_customer=True
            ),
            uow=uow,
            actor=personas.agent.actor,
            policy=policy,
            clock=clock,
        )
    assert stored(uow, ada) == before
    assert uow.audit.events[events].entry.outcome is Outcome.DENIED


@pytest.mark.parametrize("source", ["phone", "in_person", "web"])
def test_an_internal_correction_from_a_caller_channel_is_refused_on_source(
    ada, internal, uow, source
) -> None:
    before, events = stored(uow, ada), len(uow.audit.events)
    with pytest.raises(InvalidInput) as refused:
        internal(ada, source)
    assert refused.value.errors == [
        (
            "source",
            "A change the caller asks for now needs on_behalf_of_customer and a verification; "
            "an internal correction says where it came from.",
        )
    ]
    assert stored(uow, ada) == before and len(uow.audit.events) == events


@pytest.mark.parametrize("source", [None, "", "  ", "carrier_pigeon"])
def test_an_internal_correction_must_say_where_it_came_from(ada, internal, uow, source) -> None:
    before = stored(uow, ada)
    with pytest.raises(InvalidInput) as refused:
        internal(ada, source)
    [(field, message)] = refused.value.errors
    assert field == "source" and message.startswith("Say where the correction came from")
    assert "carrier" not in message
    assert stored(uow, ada) == before


@pytest.mark.parametrize("source", ["returned_post", "internal_records", "post", "email", "import"])
def test_an_internal_correction_records_where_it_came_from(ada, internal, uow, source) -> None:
    view = internal(ada, source)
    assert view.fields["town"].value == "Leeds" and view.fields["town"].source == source
    event = uow.audit.events[-1].entry
    assert event.detail == {"unchanged": 0, "source": source}
    assert "verification_id" not in event.detail


@pytest.mark.parametrize("source", ["returned_post", "internal_records", "import"])
def test_a_callers_change_comes_through_a_caller_channel(
    ada, verify, for_caller, uow, source
) -> None:
    ver = verify(ada)
    before = stored(uow, ada)
    with pytest.raises(InvalidInput) as refused:
        for_caller(ada, ver, source=source)
    assert [f for f, _ in refused.value.errors] == ["source"]
    assert stored(uow, ada) == before


def test_a_removal_the_caller_asks_for_is_checked_too(ada, verify, for_caller, uow) -> None:
    ver = verify(ada)
    for_caller(ada, ver, {"address_line1": None})
    event = uow.audit.events[-1].entry
    assert event.fields == ("address_line1",) and event.detail["verification_id"] == ver
    assert uow.customers.get(ada).value("address_line1") is None


def representative_verification(uow, customer_id, staff_id, clock, **scope) -> str:
    """An approved representative of the customer, with ``scope``, and a passed check of them
    by ``staff_id``: arranged in the stores, as the representatives' own use cases leave it."""
    now = clock.now()
    rep = Representative(
        id=new_id("rep"),
        customer_id=customer_id,
        authority=Authority.LASTING_POWER_OF_ATTORNEY,
        scope_fields=scope.get("fields", ("town",)),
        scope_actions=scope.get("actions", ("disclose", "update")),
        expires_at=None,
        status=Status.APPROVED,
        created_by="stf_supervisor",
        created_at=now,
        purpose="service",
        name="Sam Example",
        relationship="son",
        reference="LPA-0001",
        evidence_seen="registered LPA",
    )
    uow.representatives.add(rep)
    ver = Verification(
        id=new_id("ver"),
        customer_id=customer_id,
        staff_id=staff_id,
        method=Method.REPRESENTATIVE,
        passed=True,
        stated=("date_of_birth",),
        at=now,
        expires_at=now + timedelta(minutes=10),
        representative_id=rep.id,
    )
    uow.verifications.add(ver)
    return ver.id


def test_a_representative_may_change_only_what_their_scope_allows(
    ada, for_caller, uow, personas, clock
) -> None:
    agent = personas.agent.actor.id
    in_scope = representative_verification(uow, ada, agent, clock)
    for_caller(ada, in_scope)
    assert uow.audit.events[-1].entry.detail["verification_id"] == in_scope

    before, events = stored(uow, ada), len(uow.audit.events)
    with pytest.raises(OutsideScope):
        for_caller(ada, in_scope, {"email": "sam@example.com"})
    told_only = representative_verification(uow, ada, agent, clock, actions=("disclose",))
    with pytest.raises(OutsideScope):
        for_caller(ada, told_only, {"town": "York"})
    assert stored(uow, ada) == before
    assert [e.entry.outcome for e in uow.audit.events[events:]] == [Outcome.DENIED] * 2


def test_a_revoked_representatives_verification_proves_nothing(
    ada, for_caller, uow, personas, clock
) -> None:
    ver = representative_verification(uow, ada, personas.agent.actor.id, clock)
    rep_id = uow.verifications.get(ver).representative_id
    uow.representatives.rows[rep_id] = replace(
        uow.representatives.rows[rep_id], status=Status.REVOKED
    )
    before = stored(uow, ada)
    with pytest.raises(NotVerified):
        for_caller(ada, ver)
    assert stored(uow, ada) == before
