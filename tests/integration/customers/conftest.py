"""Helpers for exercising the customer use cases on real storage."""

from __future__ import annotations

import pytest

from clientkeep.audit.ports import TrailFilter
from clientkeep.customers import services as customers

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "Ada.Lovelace@Example.COM",
    "phone": "020 7946 0018",
    "address_line1": "12 Example Street",
    "town": "London",
    "postcode": "sw1a1aa",
    "date_of_birth": "1985-12-10",
}


@pytest.fixture
def register(container):
    def _register(
        persona,
        fields=None,
        *,
        purpose="service",
        source="phone",
        key=None,
        consent=frozenset(),
        confirmed=False,
    ):
        return customers.register(
            customers.RegisterCustomer(
                purpose=purpose,
                fields=dict(fields or ADA),
                source=source,
                confirmed_with_customer=confirmed,
                explicit_consent=frozenset(consent),
            ),
            uow=container.uow(),
            actor=persona.actor,
            policy=container.policy,
            clock=container.clock,
            duplicates=container.duplicate_finder,
            idempotency_key=key,
        )

    return _register


@pytest.fixture
def read(container):
    def _read(persona, customer_id, purpose="service"):
        return customers.read(
            customer_id,
            purpose=purpose,
            uow=container.uow(),
            actor=persona.actor,
            policy=container.policy,
            clock=container.clock,
        )

    return _read


def audit_events(container, action):
    with container.uow() as uow:
        return uow.audit.page(TrailFilter(action=action), limit=500)
