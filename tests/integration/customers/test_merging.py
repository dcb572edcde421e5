"""Merging duplicates: one record survives, nothing is lost, and it shows in the history."""

from __future__ import annotations

import pytest

from clientkeep.adapters.crypto.keystore import DataKeyDestroyed
from clientkeep.customers import merge as merging
from clientkeep.customers import services as customers
from clientkeep.customers.errors import CustomerMerged
from clientkeep.shared.errors import PermissionDenied
from tests.integration.customers.conftest import ADA, audit_events


def merge(container, persona, survivor, duplicate, take=()):
    return merging.merge(
        survivor,
        merging.MergeCustomers(
            duplicate_id=duplicate,
            reason="same person twice",
            purpose="service",
            take_from_duplicate=frozenset(take),
        ),
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        kinds=container.record_kinds,
    )


@pytest.fixture
def pair(register, personas):
    survivor = register(personas.agent, {**ADA, "phone": "07700 123456"}).customer
    duplicate = register(
        personas.agent,
        {
            "given_name": "Ada",
            "family_name": "Lovelace",
            "email": "ada@example.org",
            "phone": "07700 123456",
            "preferred_name": "Countess",
            "postcode": "SW1A 1AA",
            "address_line2": "Flat 2",
        },
    ).customer
    return survivor, duplicate


def test_the_survivor_keeps_its_values_and_gains_the_duplicates_missing_ones(
    container, personas, pair, read
) -> None:
    survivor, duplicate = pair
    merged = merge(container, personas.supervisor, survivor.id, duplicate.id)
    assert merged.fields["email"].value == "Ada.Lovelace@example.com"
    assert merged.fields["address_line2"].value == "Flat 2"
    # The preferred name is part of the duplicate's name, and the survivor kept its own.
    assert "preferred_name" not in merged.fields
    assert merged.fields["customer_reference"].value == (
        survivor.fields["customer_reference"].value
    )


def test_a_chosen_field_takes_the_duplicates_value(container, personas, pair) -> None:
    survivor, duplicate = pair
    merged = merge(container, personas.supervisor, survivor.id, duplicate.id, take={"email"})
    assert merged.fields["email"].value == "ada@example.org"


def test_nothing_is_lost_and_the_merge_is_in_the_history(container, personas, pair) -> None:
    survivor, duplicate = pair
    merge(container, personas.supervisor, survivor.id, duplicate.id)
    changes = customers.history(
        survivor.id,
        purpose="service",
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
    )
    merged_notes = [c for c in changes if c.kind == "merged"]
    assert any(c.old_value == "ada@example.org" for c in merged_notes)  # not kept, not lost
    assert any(duplicate.id in c.reason for c in merged_notes)
    collected_for_dup = [c for c in changes if c.kind == "collected" and c.new_value == "Countess"]
    assert collected_for_dup  # the duplicate's own history moved across


def test_the_duplicate_id_points_at_the_survivor_and_its_key_is_gone(
    container, personas, pair, read
) -> None:
    survivor, duplicate = pair
    merge(container, personas.supervisor, survivor.id, duplicate.id)
    with pytest.raises(CustomerMerged) as caught:
        read(personas.agent, duplicate.id)
    assert caught.value.survivor_id == survivor.id
    with pytest.raises(DataKeyDestroyed):
        container.keystore.data_key(duplicate.id)


def test_only_a_role_that_merges_may(container, personas, pair) -> None:
    survivor, duplicate = pair
    with pytest.raises(PermissionDenied):
        merge(container, personas.agent, survivor.id, duplicate.id)


def test_the_merge_is_audited_on_both_records(container, personas, pair) -> None:
    survivor, duplicate = pair
    merge(container, personas.supervisor, survivor.id, duplicate.id)
    ids = {e.entry.customer_id for e in audit_events(container, "customer.merged")}
    assert ids == {survivor.id, duplicate.id}


def test_a_survivor_without_a_reference_takes_the_duplicates(register, container, personas) -> None:
    grace = {"given_name": "Grace", "family_name": "Hopper", "email": "grace@example.com"}
    survivor = register(personas.supervisor, grace, purpose="marketing").customer
    duplicate = register(
        personas.supervisor, {**grace, "phone": "020 7946 0018"}, purpose="service"
    ).customer
    assert survivor.reference is None and duplicate.reference is not None
    merged = merge(container, personas.supervisor, survivor.id, duplicate.id)
    assert merged.reference == duplicate.reference
    from clientkeep.matching import search

    found = search.search(
        search.SearchQuery("service", "reference", duplicate.reference.value),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
    )
    assert [m.customer_id for m in found.matches] == [survivor.id]
