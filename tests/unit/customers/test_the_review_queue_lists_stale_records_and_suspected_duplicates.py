"""The review queue lists records not confirmed within the policy's period and suspected
duplicates, by name as the default purpose shows them; every customer it shows is in the
trail by id."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.customers import services as customers
from clientkeep.shared.errors import PermissionDenied
from tests.unit.conftest import ADA, GRACE, commits_forgotten, shown_since


def queue(uow, policy, clock, persona):
    return customers.review_queue(uow=uow, actor=persona.actor, policy=policy, clock=clock)


def test_a_record_unconfirmed_for_longer_than_the_policy_allows_is_listed(
    uow, policy, clock, personas, register
) -> None:
    ada = register(ADA).customer
    clock.advance(timedelta(days=400))
    grace = register(GRACE).customer  # fresh
    (stale,) = queue(uow, policy, clock, personas.supervisor).stale
    assert (stale.customer_id, stale.display_name) == (ada.id, "Ada Lovelace")
    assert {"email", "phone"} <= set(stale.stale_fields)
    assert "town" not in stale.stale_fields  # an address is good for two years
    assert grace.id != stale.customer_id


def test_suspected_duplicates_are_listed_with_both_names(
    uow, policy, clock, personas, register
) -> None:
    ada = register(ADA).customer
    again = register({**ADA, "email": "ada@example.org"}).customer
    (suspect,) = queue(uow, policy, clock, personas.supervisor).duplicates
    assert (suspect.customer_id, suspect.other_id) == (again.id, ada.id)
    assert suspect.display_name == suspect.other_display_name == "Ada Lovelace"
    assert "same phone" in suspect.reasons


def test_the_queue_is_read_once_in_the_trail_and_each_customer_shown_by_id(
    uow, policy, clock, personas, register
) -> None:
    ada = register(ADA).customer
    again = register({**ADA, "email": "ada@example.org"}).customer
    clock.advance(timedelta(days=400))
    since = len(uow.audit.events)
    found = queue(uow, policy, clock, personas.supervisor)
    assert len(found.stale) == 2 and len(found.duplicates) == 1
    (read,) = (e.entry for e in uow.audit.events[since:])
    assert read.action == "review.read"
    assert (read.detail["stale"], read.detail["duplicates"]) == (2, 1)
    assert sorted(shown_since(uow, since)) == sorted([ada.id, again.id])  # each once


def test_an_agent_may_not_work_the_queue_and_the_attempt_is_recorded(
    uow, policy, clock, personas
) -> None:
    with pytest.raises(PermissionDenied):
        queue(uow, policy, clock, personas.agent)
    (event,) = uow.audit.events
    assert (event.entry.action, event.entry.outcome) == ("review.read", Outcome.DENIED)


def test_without_its_commit_the_queue_would_show_people_unrecorded(
    uow, policy, clock, personas, register
) -> None:
    register(ADA)
    clock.advance(timedelta(days=400))
    since = len(uow.audit.events)
    with commits_forgotten(uow):
        assert queue(uow, policy, clock, personas.supervisor).stale
    assert uow.audit.events[since:] == []
