"""The review queue lists stale records and suspected duplicates for a supervisor."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.customers import review
from clientkeep.shared.errors import PermissionDenied
from tests.integration.customers.conftest import ADA


def queue(container, persona):
    return review.review_queue(
        uow=container.uow(), actor=persona.actor, policy=container.policy, clock=container.clock
    )


def test_records_not_confirmed_within_the_period_are_listed(register, personas, container) -> None:
    made = register(personas.agent).customer
    assert queue(container, personas.supervisor).stale == []
    container.clock.advance(timedelta(days=400))
    stale = queue(container, personas.supervisor).stale
    assert [s.customer_id for s in stale] == [made.id]
    assert "email" in stale[0].stale_fields


def test_suspected_duplicates_are_listed_and_can_be_dismissed(
    register, personas, container
) -> None:
    first = register(personas.agent).customer
    second = register(personas.agent, {**ADA, "email": "x@example.com"}).customer
    suspects = queue(container, personas.supervisor).duplicates
    assert [(s.customer_id, s.other_id) for s in suspects] == [(second.id, first.id)]
    review.dismiss_duplicate(
        suspects[0].id,
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert queue(container, personas.supervisor).duplicates == []


def test_an_agent_does_not_work_the_queue(personas, container) -> None:
    with pytest.raises(PermissionDenied):
        queue(container, personas.agent)
