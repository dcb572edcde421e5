"""A customer reference is held only for purposes that use one."""

from __future__ import annotations

from clientkeep.customers import services as customers
from tests.integration.customers.conftest import audit_events

MARKETING_ONLY = {"given_name": "Grace", "family_name": "Hopper", "email": "grace@example.com"}


def held(container, customer_id):
    with container.uow() as uow:
        return dict(uow.customers.get(customer_id).fields)


def test_a_purpose_without_references_gives_none(register, personas, container) -> None:
    made = register(personas.supervisor, MARKETING_ONLY, purpose="marketing").customer
    assert "customer_reference" not in held(container, made.id)
    created = audit_events(container, "customer.created")[-1]
    assert "customer_reference" not in created.entry.fields


def test_the_first_change_under_a_purpose_that_uses_references_gives_one(
    register, personas, container
) -> None:
    made = register(personas.supervisor, MARKETING_ONLY, purpose="marketing").customer
    view = customers.update(
        made.id,
        customers.UpdateCustomer(
            purpose="service",
            fields={"phone": "020 7946 0018"},
            reason="now a customer",
            source="internal_records",
        ),
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert view.reference is not None and view.reference.value.startswith("CK-")
    with container.uow() as uow:
        given = [c for c in uow.history.for_customer(made.id) if c.field == "customer_reference"]
    assert [(c.kind.value, c.old_value) for c in given] == [("collected", None)]
    # Findable by it from then on.
    found = customers.read(
        made.id,
        purpose="service",
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert found.reference == view.reference
