"""An attempt the policy refuses is recorded with outcome denied, though the use case failed.

The event names the customer where the call named a well-formed customer id, and the purpose
only where it is one the policy declares: anything else is the caller's own text.
"""

from __future__ import annotations

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.audit.ports import TrailFilter
from clientkeep.customers import merge as merging
from clientkeep.customers import review
from clientkeep.customers import services as customers
from clientkeep.matching import search as matching
from clientkeep.shared.errors import PermissionDenied
from tests.integration.customers.conftest import ADA, audit_events

NOT_AN_ID = "cus_'; select * from customer; --"
MADE_UP_PURPOSE = "ada.lovelace@example.com"


def denied(container, action):
    return [e for e in audit_events(container, action) if e.entry.outcome is Outcome.DENIED]


def merge(container, persona, survivor_id, duplicate_id, purpose="service"):
    return merging.merge(
        survivor_id,
        merging.MergeCustomers(duplicate_id=duplicate_id, reason="same person", purpose=purpose),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=container.record_kinds,
    )


@pytest.fixture
def pair(register, personas):
    first = register(personas.agent).customer
    second = register(personas.agent, {**ADA, "email": "ada@example.org"}).customer
    return first, second


def test_a_read_under_a_purpose_the_role_may_not_use_is_recorded(
    register, read, personas, container
) -> None:
    made = register(personas.agent).customer
    with pytest.raises(PermissionDenied):
        read(personas.agent, made.id, "marketing")
    (event,) = denied(container, "customer.read")
    assert (event.entry.customer_id, event.entry.purpose) == (made.id, "marketing")
    assert (event.entry.actor_id, event.entry.fields) == (personas.agent.actor.id, ())
    assert event.entry.detail == {"refused": "permission_denied"}
    assert [e.entry.outcome for e in audit_events(container, "customer.read")] == [Outcome.DENIED]


def test_a_merge_by_an_agent_is_recorded_naming_the_survivor(pair, personas, container) -> None:
    survivor, duplicate = pair
    with pytest.raises(PermissionDenied):
        merge(container, personas.agent, survivor.id, duplicate.id)
    (event,) = denied(container, "customer.merged")
    assert (event.entry.customer_id, event.entry.purpose) == (survivor.id, "service")
    assert event.entry.actor_role == "agent"


def test_the_review_queue_asked_for_by_an_agent_is_recorded(personas, container) -> None:
    with pytest.raises(PermissionDenied):
        review.review_queue(
            uow=container.uow(),
            actor=personas.agent.actor,
            policy=container.policy,
            clock=container.clock,
        )
    (event,) = denied(container, "review.read")
    assert (event.entry.actor_id, event.entry.customer_id) == (personas.agent.actor.id, None)


def test_a_search_by_phone_under_billing_is_recorded(register, personas, container) -> None:
    register(personas.agent)
    with pytest.raises(PermissionDenied):
        matching.search(
            matching.SearchQuery(purpose="billing", kind="phone", text=ADA["phone"]),
            uow=container.uow(),
            actor=personas.agent.actor,
            policy=container.policy,
        )
    (event,) = denied(container, "customer.searched")
    assert (event.entry.purpose, event.entry.customer_id) == ("billing", None)
    assert event.entry.shown == ()


def test_special_category_data_offered_by_an_agent_is_recorded_against_the_customer(
    register, personas, container
) -> None:
    made = register(personas.agent).customer
    with pytest.raises(PermissionDenied):
        customers.update(
            made.id,
            customers.UpdateCustomer(
                purpose="service",
                fields={"accessibility_needs": "Large print"},
                reason="customer asked",
                explicit_consent=frozenset({"accessibility_needs"}),
                source="internal_records",
            ),
            uow=container.uow(),
            actor=personas.agent.actor,
            policy=container.policy,
            clock=container.clock,
        )
    (event,) = denied(container, "customer.updated")
    assert (event.entry.customer_id, event.entry.purpose) == (made.id, "service")


def test_registration_by_a_role_that_sees_no_customer_data_is_recorded(
    register, personas, container
) -> None:
    with pytest.raises(PermissionDenied):
        register(personas.admin)
    (event,) = denied(container, "customer.created")
    assert (event.entry.actor_role, event.entry.purpose) == ("admin", "service")
    assert event.entry.customer_id is None


def test_an_id_that_is_not_well_formed_is_not_recorded(read, personas, container) -> None:
    with pytest.raises(PermissionDenied):
        read(personas.agent, NOT_AN_ID, "marketing")
    with pytest.raises(PermissionDenied):
        merge(container, personas.agent, NOT_AN_ID, "cus_" + "b" * 24)
    events = denied(container, "customer.read") + denied(container, "customer.merged")
    assert [e.entry.customer_id for e in events] == [None, None]
    assert all(b"select" not in e.body for e in events)


def test_a_purpose_the_policy_does_not_declare_is_not_recorded(pair, personas, container) -> None:
    survivor, duplicate = pair
    with pytest.raises(PermissionDenied):
        merge(container, personas.agent, survivor.id, duplicate.id, purpose=MADE_UP_PURPOSE)
    (event,) = denied(container, "customer.merged")
    assert (event.entry.customer_id, event.entry.purpose) == (survivor.id, None)
    assert b"lovelace" not in event.body.lower()


def test_a_refused_whole_book_scan_and_a_refused_import_are_recorded(container, personas) -> None:
    from clientkeep.customers.bulk import ImportCustomers, ImportRow, import_customers
    from clientkeep.matching.book_scan import scan_book

    with pytest.raises(PermissionDenied):
        scan_book(
            uow_factory=container.uow,
            actor=personas.agent.actor,
            policy=container.policy,
            clock=container.clock,
        )
    with pytest.raises(PermissionDenied):
        import_customers(
            ImportCustomers(purpose="marketing"),
            [ImportRow({"given_name": "Grace", "family_name": "Hopper", "email": "g@example.com"})],
            uow=container.uow,
            actor=personas.agent.actor,
            policy=container.policy,
            clock=container.clock,
        )
    with container.uow() as uow:
        denied = [
            (e.entry.action, e.entry.purpose)
            for e in uow.audit.page(TrailFilter(), limit=500)
            if e.entry.outcome == "denied"
        ]
    assert denied == [("customer.duplicates_scanned", None), ("customer.imported", "marketing")]
