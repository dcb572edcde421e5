"""The review queue names only what its purpose shows: stale details of other purposes are
counted, not named (an accessibility need is health data)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.customers import review
from tests.integration.customers._policies import (
    SHIPPED,
    container_under,
    policy_file,
    with_default_purpose,
)
from tests.integration.customers.conftest import ADA


@pytest.fixture
def container(settings, clock, tmp_path):
    with container_under(
        settings, clock, policy_file(tmp_path, with_default_purpose(SHIPPED, "billing"))
    ) as c:
        yield c


def test_stale_details_the_queue_does_not_show_are_counted_not_named(
    register, personas, container
) -> None:
    made = register(
        personas.supervisor,
        {**ADA, "accessibility_needs": "Large print letters"},
        consent={"accessibility_needs"},
    ).customer
    container.clock.advance(timedelta(days=2000))
    queue = review.review_queue(
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
    )
    (entry,) = [s for s in queue.stale if s.customer_id == made.id]
    billing = container.policy.projection("supervisor", "billing")
    assert entry.stale_fields and set(entry.stale_fields) <= billing.shown
    assert "accessibility_needs" not in entry.stale_fields
    # accessibility needs, date of birth and phone: held, stale, not billing's
    assert entry.other_stale == 3
