"""Two records of one person, as a supervisor finds them on the review queue (synthetic)."""

from __future__ import annotations

import pytest

from clientkeep.customers import merge as merging
from clientkeep.customers import merge_preview as previewing
from clientkeep.customers import services as customers
from clientkeep.shared.record_kinds import RecordKinds

RHYS = {
    "given_name": "Rhys",
    "family_name": "Jones",
    "email": "Rhys.Jones@Example.COM",
    "phone": "020 7946 0018",
    "postcode": "sw1a1aa",
    "town": "London",
}
# The same person typed again: the email differs only in case and the postcode only in
# spacing, the name is spelt another way and has a preferred name, the phone differs.
REES = {
    "given_name": "Rees",
    "family_name": "Jones",
    "preferred_name": "Bob",
    "email": "rhys.jones@example.com",
    "phone": "07700 123456",
    "postcode": "SW1A 1AA",
}


@pytest.fixture
def pair(register):
    return register(RHYS).customer, register(REES).customer


@pytest.fixture
def kinds(policy):
    return RecordKinds(customers.customer_record_kinds(policy))


@pytest.fixture
def preview(uow, policy, clock, personas, kinds):
    def _preview(survivor_id, duplicate_id, *, name=False, take=(), by=None):
        return previewing.preview_merge(
            survivor_id,
            previewing.PreviewMerge(
                duplicate_id=duplicate_id,
                purpose="service",
                choices=previewing.MergeChoices(
                    name_from_duplicate=name, take_from_duplicate=frozenset(take)
                ),
            ),
            uow=uow,
            actor=(by or personas.supervisor).actor,
            policy=policy,
            clock=clock,
            kinds=kinds,
        )

    return _preview


@pytest.fixture
def merge(uow, policy, clock, personas, kinds):
    def _merge(survivor_id, duplicate_id, *, digest, name=False, take=()):
        return merging.merge(
            survivor_id,
            merging.MergeCustomers(
                duplicate_id=duplicate_id,
                reason="same person twice",
                purpose="service",
                take_from_duplicate=frozenset(take),
                name_from_duplicate=name,
                preview_digest=digest,
            ),
            uow=uow,
            actor=personas.supervisor.actor,
            policy=policy,
            clock=clock,
            kinds=kinds,
        )

    return _merge


def everything(uow):
    return (
        dict(uow.customers.rows),
        {k: set(v) for k, v in uow.customers.terms.items()},
        list(uow.history.changes),
        list(uow.key_outbox.requests),
    )
