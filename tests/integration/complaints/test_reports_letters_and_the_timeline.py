"""The complaints report counts by type, month and member of staff and needs reports.read;
the final response letter is there once resolved, names the customer and their referral
right, and is audited; a customer's complaints and the timeline show the words only under a
purpose that shows the complaint details."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.complaints import services as complaints
from clientkeep.complaints.final_response import NotResolved
from clientkeep.shared.errors import PermissionDenied
from tests.integration.complaints._cases import customer, open_case, step
from tests.integration.record_kinds._storage import audit_events


def _report(container, persona):
    return complaints.complaints_report(
        uow=container.uow(), actor=persona.actor, policy=container.policy, clock=container.clock
    )


def test_the_report_counts_by_type_month_and_member(container, personas) -> None:
    customer_id = customer(container, personas)
    quick = open_case(container, personas.agent, customer_id)
    step(container, personas.agent, quick.id, "acknowledge")
    container.clock.advance(timedelta(days=2))
    step(container, personas.agent, quick.id, "resolve", customer_accepted="no")
    late = open_case(container, personas.agent, customer_id)
    container.clock.advance(timedelta(days=10))
    step(container, personas.agent, late.id, "resolve", customer_accepted="yes")
    open_case(container, personas.supervisor, customer_id, type="service")
    container.clock.advance(timedelta(days=30))

    report = _report(container, personas.supervisor)
    rows = {(r.dimension, r.key): r for r in report.rows}
    general = rows[("type", "general")]
    assert (general.received, general.open, general.resolved) == (2, 0, 2)
    assert general.acknowledged_on_time == 1 and general.resolved_on_time == 2
    assert general.median_days_to_resolve == 6.0
    assert (general.accepted, general.answered, general.accepted_share) == (1, 2, 0.5)
    service = rows[("type", "service")]
    assert (service.open, service.overdue) == (1, 1)
    assert rows[("month", "2026-11")].received == 2
    assert rows[("month", "2026-12")].received == 1
    assert rows[("staff", personas.agent.actor.id)].received == 2
    assert "agent.one" in rows[("staff", personas.agent.actor.id)].label

    with pytest.raises(PermissionDenied):
        _report(container, personas.agent)
    assert audit_events(container, "complaints.report_read")[-1].entry.outcome == "denied"


def _letter(container, persona, complaint_id):
    return complaints.final_response(
        complaint_id,
        uow=container.uow(),
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        renderer=container.complaint_letters,
    )


def test_the_final_response_letter_once_resolved(container, personas) -> None:
    customer_id = customer(container, personas)
    made = open_case(container, personas.agent, customer_id, type="data_protection")
    with pytest.raises(NotResolved):
        _letter(container, personas.agent, made.id)
    step(container, personas.agent, made.id, "resolve")
    letter = _letter(container, personas.agent, made.id)
    assert container.policy.controller.name in letter
    assert "The bill charged twice for November." in letter
    assert "Refunded the second charge." in letter
    assert "Information Commissioner's Office" in letter
    assert "SW1A 1AA" in letter and "Street" in letter
    assert "23 November 2026" in letter
    event = audit_events(container, "complaint.final_response_read", customer_id)[-1].entry
    assert "complaint_details" in event.fields and "postcode" in event.fields
    general = open_case(container, personas.agent, customer_id)
    step(container, personas.agent, general.id, "resolve")
    assert "Financial Ombudsman Service" in _letter(container, personas.agent, general.id)


def test_words_show_only_where_the_purpose_shows_the_complaint_details(container, personas) -> None:
    customer_id = customer(container, personas)
    made = open_case(container, personas.agent, customer_id)
    step(container, personas.agent, made.id, "note", note="called back at noon")

    def listed(purpose):
        return complaints.customer_complaints(
            customer_id,
            purpose=purpose,
            uow=container.uow(),
            actor=personas.agent.actor,
            policy=container.policy,
            clock=container.clock,
        )

    [shown] = listed("complaints")
    assert shown.details is not None and shown.steps[-1].note == "called back at noon"
    # That the customer complained is complaint details too: billing lists no case at all.
    assert listed("billing") == []
    event = audit_events(container, "customer.complaints_read", customer_id)[-1].entry
    assert (event.purpose, event.fields) == ("billing", ())

    source = complaints.ComplaintTimeline(container.policy)
    with container.uow().reading() as uow:
        entries = source.entries(
            uow, customer_id, shown=frozenset({"complaint_details"}), before=None, limit=10
        )
        none = source.entries(uow, customer_id, shown=frozenset({"email"}), before=None, limit=10)
        older = source.entries(
            uow,
            customer_id,
            shown=frozenset({"complaint_details"}),
            before=entries[0].key,
            limit=10,
        )
    assert [e.title for e in entries] == ["Note on a complaint", "Complaint opened"]
    assert entries[0].details == (("Note", "called back at noon"),)
    assert entries[1].details[0][1].startswith("The bill")
    assert all(e.parent_id == made.id for e in entries)
    assert none == [] and [e.entry_id for e in older] == [entries[1].entry_id]
