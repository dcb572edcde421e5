"""Logging a contact: sealed at rest, under a purpose that keeps notes, every problem at once,
audited naming the notes field and never its text; an Idempotency-Key replays, never twice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from clientkeep.adapters.db.contact_tables import interaction
from clientkeep.customers.errors import IdempotencyKeyReused
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from tests.integration.interactions._contacts import customer, log
from tests.integration.record_kinds._storage import audit_events


def test_a_contact_is_sealed_at_rest_and_audited_without_its_text(container, personas) -> None:
    cid = customer(container, personas)
    done = log(container, personas.agent, cid, nature="Qzsecretword asked", purpose="billing")
    with container.engine.connect() as conn:
        row = conn.execute(select(interaction).where(interaction.c.id == done.interaction_id)).one()
    assert b"Qzsecretword" not in row.notes and row.purpose == "billing"
    assert (row.channel, row.category, row.outcome, row.warnings) == (
        "phone",
        "enquiry",
        "resolved",
        "[]",
    )
    event = audit_events(container, "interaction.logged", cid)[-1]
    assert event.entry.fields == ("contact_notes",)
    assert "Qzsecretword" not in repr(event)


def test_a_purpose_without_contact_notes_is_refused_on_purpose(container, personas) -> None:
    cid = customer(container, personas)
    with pytest.raises(InvalidInput) as refused:
        log(container, personas.supervisor, cid, purpose="marketing")
    assert [f for f, _ in refused.value.errors] == ["purpose"]
    with pytest.raises(PermissionDenied):
        log(container, personas.admin, cid, purpose="service")
    assert audit_events(container, "interaction.logged", cid)[-1].entry.outcome == "denied"


def test_every_problem_is_named_at_once(container, personas) -> None:
    cid = customer(container, personas)
    now = container.clock.now()
    with pytest.raises(InvalidInput) as refused:
        log(
            container,
            personas.agent,
            cid,
            channel="fax",
            category="chat",
            outcome="follow_up",
            nature=" ",
            actions_taken="x" * 4001,
            occurred_at=now + timedelta(minutes=10),
        )
    assert sorted(f for f, _ in refused.value.errors) == [
        "actions_taken",
        "category",
        "channel",
        "follow_up_due",
        "nature",
        "occurred_at",
    ]


def test_follow_up_dates_go_with_the_follow_up_outcome(container, personas) -> None:
    cid = customer(container, personas)
    today = date(2026, 11, 23)
    for given in (
        {"outcome": "resolved", "follow_up_due": today},
        {"outcome": "follow_up", "follow_up_due": today - timedelta(days=1)},
    ):
        with pytest.raises(InvalidInput) as refused:
            log(container, personas.agent, cid, **given)
        assert [f for f, _ in refused.value.errors] == ["follow_up_due"]
    assert log(container, personas.agent, cid, outcome="follow_up", follow_up_due=today)


def test_invisible_characters_are_refused_but_new_lines_kept(container, personas) -> None:
    cid = customer(container, personas)
    with pytest.raises(InvalidInput) as refused:
        log(container, personas.agent, cid, nature="asked\u202eabout")
    assert [f for f, _ in refused.value.errors] == ["nature"]
    assert log(container, personas.agent, cid, nature="line one\nline two")


def test_an_idempotency_key_replays_the_same_contact_and_refuses_another(
    container, personas
) -> None:
    cid = customer(container, personas)
    first = log(container, personas.agent, cid, idempotency_key="k-1")
    again = log(container, personas.agent, cid, idempotency_key="k-1")
    assert again.replayed and again.interaction_id == first.interaction_id
    with pytest.raises(IdempotencyKeyReused):
        log(container, personas.agent, cid, idempotency_key="k-1", nature="another thing")
    with container.engine.connect() as conn:
        rows = conn.execute(select(interaction.c.id).where(interaction.c.customer_id == cid))
        assert len(rows.all()) == 1
