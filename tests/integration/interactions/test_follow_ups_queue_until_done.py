"""The follow-up queue: open follow-ups due first, one member's or the team's; a later
contact naming one closes it, a correction supersedes it; the read names each customer."""

from __future__ import annotations

from datetime import date

import pytest

from clientkeep.shared.errors import InvalidInput
from tests.integration.interactions._contacts import correct, customer, log, queue
from tests.integration.record_kinds._storage import audit_events

TODAY = date(2026, 11, 23)


def test_the_queue_lists_open_follow_ups_due_first_for_me_or_the_team(container, personas) -> None:
    ada, bob = customer(container, personas), customer(container, personas, given="Bob")
    later = log(
        container, personas.agent, ada, outcome="follow_up", follow_up_due=date(2026, 12, 1)
    ).interaction_id
    sooner = log(
        container, personas.agent, bob, outcome="follow_up", follow_up_due=TODAY
    ).interaction_id
    theirs = log(
        container, personas.supervisor, bob, outcome="follow_up", follow_up_due=TODAY
    ).interaction_id
    mine = queue(container, personas.agent)
    assert [f.interaction_id for f in mine] == [sooner, later]
    assert [f.display_name for f in mine] == ["Bob Lovelace", "Ada Lovelace"]
    team = queue(container, personas.agent, team=True)
    assert {f.interaction_id for f in team} == {sooner, later, theirs}
    due = queue(container, personas.agent, due_before=TODAY)
    assert [f.interaction_id for f in due] == [sooner]
    event = audit_events(container, "interaction.follow_ups_read")[-1].entry
    assert event.customer_id == bob and "given_name" in event.fields


def test_a_contact_following_one_up_closes_it_and_a_correction_supersedes_it(
    container, personas
) -> None:
    cid = customer(container, personas)
    one = log(container, personas.agent, cid, outcome="follow_up", follow_up_due=TODAY)
    two = log(container, personas.agent, cid, outcome="follow_up", follow_up_due=TODAY)
    log(container, personas.agent, cid, follows_up=one.interaction_id)
    correct(container, personas.agent, cid, two.interaction_id, reason="sorted", outcome="resolved")
    assert queue(container, personas.agent) == []
    with pytest.raises(InvalidInput) as refused:
        log(container, personas.agent, cid, follows_up=one.interaction_id)
    assert [f for f, _ in refused.value.errors] == ["follows_up"]


def test_only_a_purpose_that_keeps_notes_of_contacts_lists_follow_ups(container, personas) -> None:
    cid = customer(container, personas)
    log(container, personas.supervisor, cid, outcome="follow_up", follow_up_due=TODAY)
    assert len(queue(container, personas.supervisor, purpose="billing")) == 1
    with pytest.raises(InvalidInput) as refused:
        queue(container, personas.supervisor, purpose="marketing")
    assert [f for f, _ in refused.value.errors] == ["purpose"]
