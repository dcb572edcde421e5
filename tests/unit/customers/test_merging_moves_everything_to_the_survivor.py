"""Merging moves the duplicate's history and values to the survivor through the registered
record kinds, leaves a tombstone pointing at the survivor, closes their suspected-duplicate
entries and asks for the duplicate's key to be destroyed once the merge is committed."""

from __future__ import annotations

import pytest

from clientkeep.customers import services as customers
from clientkeep.customers.errors import CustomerMerged
from clientkeep.customers.model import ChangeKind
from clientkeep.shared.record_kinds import RecordKinds
from tests.fakes import KeyDestruction
from tests.unit.conftest import ADA, commits_forgotten

COUNTESS = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada@example.org",
    "phone": "07700 123456",
    "preferred_name": "Countess",
    "postcode": "SW1A 1AA",
    "address_line2": "Flat 2",
}


@pytest.fixture
def pair(register):
    survivor = register({**ADA, "phone": "07700 123456"}).customer
    duplicate = register(COUNTESS).customer
    return survivor, duplicate


@pytest.fixture
def merge(uow, policy, clock, personas):
    def _merge(survivor_id, duplicate_id, *, take=(), by=None):
        return customers.merge(
            survivor_id,
            customers.MergeCustomers(
                duplicate_id=duplicate_id,
                reason="same person twice",
                purpose="service",
                take_from_duplicate=frozenset(take),
            ),
            uow=uow,
            actor=(by or personas.supervisor).actor,
            policy=policy,
            clock=clock,
            kinds=RecordKinds(customers.customer_record_kinds(policy)),
        )

    return _merge


def test_the_survivor_keeps_its_values_and_gains_those_only_the_duplicate_held(
    uow, pair, merge
) -> None:
    survivor, duplicate = pair
    merged = merge(survivor.id, duplicate.id)
    assert merged.fields["email"].value == "Ada.Lovelace@example.com"
    assert merged.fields["address_line2"].value == "Flat 2"
    assert merged.reference.value == survivor.reference.value
    assert uow.customers.get(survivor.id).value("address_line2") == "Flat 2"


def test_the_survivor_keeps_its_own_name_whole_unless_told_to_take_the_duplicates(
    uow, pair, merge
) -> None:
    survivor, duplicate = pair
    kept = merge(survivor.id, duplicate.id)
    # The duplicate's preferred name is part of its name, not a detail to add to another.
    assert "preferred_name" not in kept.fields
    assert kept.display_name == "Ada Lovelace"


def test_a_chosen_field_takes_the_duplicates_value_and_its_index_terms(uow, pair, merge) -> None:
    survivor, duplicate = pair
    merge(survivor.id, duplicate.id, take={"email"})
    assert uow.customers.get(survivor.id).value("email") == "ada@example.org"
    assert uow.customers.find_by_terms([("email", "ada@example.org")]) == [survivor.id]
    assert uow.customers.find_by_terms([("email", "ada.lovelace@example.com")]) == []


def test_the_duplicates_history_moves_and_the_merge_is_noted(uow, pair, merge) -> None:
    survivor, duplicate = pair
    merge(survivor.id, duplicate.id)
    assert uow.history.for_customer(duplicate.id) == []
    moved = uow.history.for_customer(survivor.id)
    assert any(c.kind == ChangeKind.COLLECTED and c.new_value == "Countess" for c in moved)
    notes = [c for c in moved if c.kind == ChangeKind.MERGED]
    assert any(c.old_value == "ada@example.org" for c in notes)  # not kept, not lost
    assert all(duplicate.id in c.reason for c in notes)


def test_the_duplicate_is_a_tombstone_with_no_values_or_terms(uow, pair, merge) -> None:
    survivor, duplicate = pair
    merge(survivor.id, duplicate.id)
    tombstone = uow.customers.get(duplicate.id)
    assert tombstone.merged_into == survivor.id
    assert tombstone.fields == {}
    assert uow.customers.terms.get(duplicate.id, set()) == set()
    assert uow.customers.find_by_terms([("email", "ada@example.org")]) == []
    assert duplicate.id not in uow.customers.live_ids(after=None, limit=10)


def test_the_duplicates_key_is_to_be_destroyed_once_committed(uow, pair, merge) -> None:
    survivor, duplicate = pair
    merge(survivor.id, duplicate.id)
    assert uow.key_outbox.requests == [KeyDestruction(duplicate.id, None, "merged")]


def test_reading_the_duplicate_afterwards_says_where_it_went(
    uow, policy, clock, personas, pair, merge
) -> None:
    survivor, duplicate = pair
    merge(survivor.id, duplicate.id)
    with pytest.raises(CustomerMerged) as merged:
        customers.read(
            duplicate.id,
            purpose="service",
            uow=uow,
            actor=personas.agent.actor,
            policy=policy,
            clock=clock,
        )
    assert merged.value.survivor_id == survivor.id


def test_their_suspected_duplicate_entry_is_closed(uow, pair, merge) -> None:
    survivor, duplicate = pair
    assert [s.customer_id for s in uow.duplicates.open(limit=10)] == [duplicate.id]
    merge(survivor.id, duplicate.id)
    assert uow.duplicates.open(limit=10) == []


def test_the_merge_is_audited_on_both_records(uow, pair, merge, personas) -> None:
    survivor, duplicate = pair
    merge(survivor.id, duplicate.id)
    events = [e.entry for e in uow.audit.events if e.entry.action == "customer.merged"]
    assert [e.customer_id for e in events] == [survivor.id, duplicate.id]
    assert events[0].fields == ("address_line2",)
    assert events[0].detail["moved_field_history"] == 8  # its seven fields and reference
    assert events[0].detail["moved_customer_field"] == 8
    assert all(e.actor_id == personas.supervisor.actor.id for e in events)


def test_without_its_commit_the_merge_would_change_nothing(uow, pair, merge) -> None:
    survivor, duplicate = pair
    before = (uow.customers.get(survivor.id), uow.customers.get(duplicate.id))
    with commits_forgotten(uow):
        merge(survivor.id, duplicate.id)
    assert (uow.customers.get(survivor.id), uow.customers.get(duplicate.id)) == before
    assert uow.history.for_customer(duplicate.id) != []
    assert uow.key_outbox.requests == []
