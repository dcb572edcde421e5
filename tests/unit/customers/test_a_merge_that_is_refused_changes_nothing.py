"""A merge the rules or the policy refuse leaves both records, their history and their keys
as they were; a refusal by the policy is recorded as denied."""

from __future__ import annotations

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.customers import services as customers
from clientkeep.customers.errors import CustomerMerged
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.record_kinds import RecordKinds
from tests.unit.conftest import ADA, GRACE


@pytest.fixture
def pair(register):
    return register(ADA).customer, register(GRACE).customer


def merge(uow, policy, clock, persona, survivor_id, duplicate_id, take=()):
    return customers.merge(
        survivor_id,
        customers.MergeCustomers(
            duplicate_id=duplicate_id,
            reason="same person twice",
            purpose="service",
            take_from_duplicate=frozenset(take),
        ),
        uow=uow,
        actor=persona.actor,
        policy=policy,
        clock=clock,
        kinds=RecordKinds(customers.customer_record_kinds(policy)),
    )


def everything(uow):
    return (
        dict(uow.customers.rows),
        {k: set(v) for k, v in uow.customers.terms.items()},
        list(uow.history.changes),
        list(uow.key_outbox.requests),
    )


def test_a_record_cannot_be_merged_into_itself(uow, policy, clock, personas, pair) -> None:
    ada, _ = pair
    before, events = everything(uow), len(uow.audit.events)
    with pytest.raises(InvalidInput):
        merge(uow, policy, clock, personas.supervisor, ada.id, ada.id)
    assert everything(uow) == before
    assert len(uow.audit.events) == events


def test_an_agent_may_not_merge_and_the_attempt_is_recorded(
    uow, policy, clock, personas, pair
) -> None:
    ada, grace = pair
    before = everything(uow)
    with pytest.raises(PermissionDenied):
        merge(uow, policy, clock, personas.agent, ada.id, grace.id)
    assert everything(uow) == before
    event = uow.audit.events[-1].entry
    assert (event.action, event.outcome, event.customer_id, event.actor_id) == (
        "customer.merged",
        Outcome.DENIED,
        ada.id,
        personas.agent.actor.id,
    )


@pytest.mark.parametrize(
    "take",
    [{"preferred_name"}, {"customer_reference"}, {"shoe_size"}],
    ids=["the duplicate holds none", "the survivor keeps its reference", "undeclared"],
)
def test_taking_a_value_that_cannot_be_taken_changes_nothing(
    uow, policy, clock, personas, pair, take
) -> None:
    ada, grace = pair
    before, events = everything(uow), len(uow.audit.events)
    with pytest.raises(InvalidInput):
        merge(uow, policy, clock, personas.supervisor, ada.id, grace.id, take=take)
    assert everything(uow) == before
    assert len(uow.audit.events) == events


def test_a_merge_into_a_record_already_merged_away_changes_nothing(
    uow, policy, clock, personas, pair, register
) -> None:
    ada, grace = pair
    merge(uow, policy, clock, personas.supervisor, grace.id, ada.id)
    other = register({**GRACE, "email": "g.hopper@example.net"}).customer
    before, events = everything(uow), len(uow.audit.events)
    with pytest.raises(CustomerMerged):
        merge(uow, policy, clock, personas.supervisor, ada.id, other.id)
    assert everything(uow) == before
    assert len(uow.audit.events) == events


class KindThatFailsToMove:
    """A later capability's kind of record whose move fails, after history and values moved."""

    name = "failing"
    label = "Fails"
    duplicate_values_left: int | None = None

    def rows(self, uow, customer_id):
        return []

    def pack(self, uow, customer_id):
        return []

    def move(self, uow, merge):
        self.duplicate_values_left = len(uow.customers.get(merge.duplicate_id).fields)
        raise ConnectionError("the other store went away")

    def erase(self, uow, customer_id, row_ids=None):
        return 0


def test_a_merge_that_fails_part_way_leaves_both_records_as_they_were(
    uow, policy, clock, personas, pair
) -> None:
    ada, grace = pair
    before, events = everything(uow), len(uow.audit.events)
    failing = KindThatFailsToMove()
    kinds = RecordKinds([*customers.customer_record_kinds(policy), failing])
    with pytest.raises(ConnectionError):
        customers.merge(
            ada.id,
            customers.MergeCustomers(duplicate_id=grace.id, reason="same", purpose="service"),
            uow=uow,
            actor=personas.supervisor.actor,
            policy=policy,
            clock=clock,
            kinds=kinds,
        )
    assert failing.duplicate_values_left == 0  # the values had moved when it failed
    assert everything(uow) == before
    assert len(uow.audit.events) == events
