"""Shared by the unit tests: the shipped policy, staff personas that need no database, a fake
unit of work, and a few customers to register through the real use case."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

import pytest

from clientkeep.customers import services as customers
from clientkeep.matching.duplicates import likely_duplicates
from clientkeep.policy import Policy, load_policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import FixedClock
from tests.conftest import PASSWORD, PERSONA_ROLES, Persona, Personas
from tests.fakes import FakeUnitOfWork

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
GRACE = {
    "given_name": "Grace",
    "family_name": "Hopper",
    "email": "grace@example.net",
    "phone": "+44 113 496 0000",
    "postcode": "LS1 4AP",
}
JOHN = {
    "given_name": "John",
    "family_name": "Smith",
    "email": "john.smith@example.org",
    "phone": "07700 123456",
    "postcode": "M1 1AE",
}


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def uow(clock: FixedClock) -> FakeUnitOfWork:
    return FakeUnitOfWork(clock)


@pytest.fixture(scope="session")
def personas() -> Personas:
    """One staff member per role, as the storage tests have, but with no database behind."""
    made = {
        role: Persona(
            username=f"{role}.one",
            role=role,
            password=PASSWORD,
            actor=Actor(id=f"stf_{role}", name=f"{role}.one", role=role, credential="test"),
        )
        for role in PERSONA_ROLES
    }
    return Personas(**made)


Register = Callable[..., customers.Registered]


@pytest.fixture
def register(
    uow: FakeUnitOfWork, policy: Policy, clock: FixedClock, personas: Personas
) -> Register:
    """Register through the use case, as an agent unless told otherwise."""

    def _register(
        fields: Mapping[str, str] = ADA,
        *,
        by: Persona | None = None,
        purpose: str = "service",
        consent: frozenset[str] = frozenset(),
        confirmed: bool = False,
        key: str | None = None,
    ) -> customers.Registered:
        return customers.register(
            customers.RegisterCustomer(
                purpose=purpose,
                fields=dict(fields),
                source="phone",
                confirmed_with_customer=confirmed,
                explicit_consent=consent,
            ),
            uow=uow,
            actor=(by or personas.agent).actor,
            policy=policy,
            clock=clock,
            duplicates=likely_duplicates,
            idempotency_key=key,
        )

    return _register


@contextmanager
def commits_forgotten(uow: FakeUnitOfWork) -> Iterator[None]:
    """Every commit inside is a no-op (still counted): the use case as if it forgot its own.

    For checking that a test would catch a missing commit; arrange everything first.
    """

    def forget() -> None:
        uow.commits += 1

    uow.commit = forget  # type: ignore[method-assign]
    try:
        yield
    finally:
        del uow.commit


def shown_since(uow: FakeUnitOfWork, since: int) -> list[str]:
    """Every customer the events after the first ``since`` name, once per event naming them."""
    return [c for e in uow.audit.events[since:] for c in e.entry.customers]
