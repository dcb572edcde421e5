"""The timeline: newest first, interactions interleaved with field history, each entry only
where the purpose shows its field, paged by an opaque cursor, one audit event per read; a
correction is a new entry and the old one is marked, still readable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.customers import services as customers
from clientkeep.shared.errors import InvalidInput
from tests.integration.interactions._contacts import correct, customer, log, read
from tests.integration.record_kinds._storage import audit_events


def test_entries_are_interleaved_newest_first(container, personas) -> None:
    cid = customer(container, personas)
    container.clock.advance(timedelta(minutes=1))
    first = log(container, personas.agent, cid).interaction_id
    container.clock.advance(timedelta(minutes=1))
    customers.update(
        cid,
        customers.UpdateCustomer(
            purpose="service",
            fields={"email": "ada@example.org"},
            reason="she said so",
            source="internal_records",
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    container.clock.advance(timedelta(minutes=1))
    second = log(container, personas.agent, cid, channel="email").interaction_id
    page = read(container, personas.agent, cid)
    kinds = [(e.kind, e.title) for e in page.entries]
    assert kinds[0] == ("interaction", "Email: enquiry")
    assert kinds[1] == ("field_change", "Email address corrected")
    assert kinds[2] == ("interaction", "Phone call: enquiry")
    assert [e.entry_id for e in page.entries if e.kind == "interaction"] == [second, first]
    assert page.staff[personas.agent.actor.id]
    event = audit_events(container, "customer.timeline_read", cid)[-1].entry
    assert "contact_notes" in event.fields and "email" in event.fields


def test_a_purpose_not_showing_contact_notes_leaves_interactions_out(container, personas) -> None:
    cid = customer(container, personas)
    log(container, personas.agent, cid, nature="Qzhiddenword")
    page = read(container, personas.supervisor, cid, purpose="marketing")
    assert [e for e in page.entries if e.kind == "interaction"] == []
    assert "Qzhiddenword" not in repr(page)
    event = audit_events(container, "customer.timeline_read", cid)[-1].entry
    assert "contact_notes" not in event.fields


def test_pages_follow_the_cursor_without_gaps_or_repeats(container, personas) -> None:
    cid = customer(container, personas)
    made = []
    for n in range(7):
        container.clock.advance(timedelta(seconds=1))
        made.append(log(container, personas.agent, cid, nature=f"call {n}").interaction_id)
    seen, cursor = [], None
    while True:
        page = read(container, personas.agent, cid, cursor=cursor, limit=3)
        seen += [e.entry_id for e in page.entries if e.kind == "interaction"]
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == list(reversed(made))
    with pytest.raises(InvalidInput):
        read(container, personas.agent, cid, cursor="not-a-cursor")
    with pytest.raises(InvalidInput):
        read(container, personas.agent, cid, limit=201)


def test_a_correction_is_a_new_entry_and_the_old_one_is_marked(container, personas) -> None:
    cid = customer(container, personas)
    old = log(container, personas.agent, cid, nature="asked about the bil").interaction_id
    container.clock.advance(timedelta(minutes=5))
    new = correct(container, personas.agent, cid, old, reason="typo", nature="asked about the bill")
    by_id = {e.entry_id: e for e in read(container, personas.agent, cid).entries}
    assert dict(by_id[old].details)["Corrected by"] == new
    assert dict(by_id[old].details)["Nature"] == "asked about the bil"
    corrected = dict(by_id[new].details)
    assert corrected["Corrects"] == old and corrected["Reason for the correction"] == "typo"
    assert by_id[new].title == "Phone call: enquiry (correction)"
    with pytest.raises(InvalidInput):
        correct(container, personas.agent, cid, new, reason=" ")
