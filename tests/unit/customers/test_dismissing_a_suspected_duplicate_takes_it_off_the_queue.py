"""A supervisor who finds two suspected records are different people dismisses the pair: it
leaves the queue, stays known (a book scan will not raise it again), and is audited."""

from __future__ import annotations

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.customers import services as customers
from clientkeep.shared.errors import NotFound, PermissionDenied
from tests.unit.conftest import ADA, commits_forgotten


@pytest.fixture
def suspect(uow, register):
    ada = register(ADA).customer
    twin = register({**ADA, "given_name": "Adam", "email": "adam@example.org"}).customer
    (suspect,) = uow.duplicates.open(limit=10)
    assert {suspect.customer_id, suspect.other_id} == {ada.id, twin.id}
    return suspect


def dismiss(uow, policy, clock, persona, suspect_id):
    customers.dismiss_duplicate(
        suspect_id, uow=uow, actor=persona.actor, policy=policy, clock=clock
    )


def test_the_pair_leaves_the_queue_but_stays_known(uow, policy, clock, personas, suspect) -> None:
    dismiss(uow, policy, clock, personas.supervisor, suspect.id)
    assert uow.duplicates.open(limit=10) == []
    pair = (suspect.customer_id, suspect.other_id)
    assert uow.duplicates.known_pairs([pair]) == {pair}
    event = uow.audit.events[-1].entry
    assert (event.action, event.detail) == (
        "review.duplicate_dismissed",
        {"suspect_id": suspect.id},
    )


def test_a_suspect_no_longer_open_is_not_found(uow, policy, clock, personas, suspect) -> None:
    dismiss(uow, policy, clock, personas.supervisor, suspect.id)
    events = len(uow.audit.events)
    with pytest.raises(NotFound):
        dismiss(uow, policy, clock, personas.supervisor, suspect.id)
    assert len(uow.audit.events) == events


def test_an_agent_may_not_dismiss_and_the_attempt_is_recorded(
    uow, policy, clock, personas, suspect
) -> None:
    with pytest.raises(PermissionDenied):
        dismiss(uow, policy, clock, personas.agent, suspect.id)
    assert [s.id for s in uow.duplicates.open(limit=10)] == [suspect.id]
    event = uow.audit.events[-1].entry
    assert (event.action, event.outcome) == ("review.duplicate_dismissed", Outcome.DENIED)


def test_without_its_commit_the_dismissal_would_be_lost(
    uow, policy, clock, personas, suspect
) -> None:
    with commits_forgotten(uow):
        dismiss(uow, policy, clock, personas.supervisor, suspect.id)
    assert [s.id for s in uow.duplicates.open(limit=10)] == [suspect.id]
