"""A note with hits is refused naming field, kind and offsets; saved redacted on request, or
kept as written for the kinds that may be kept; card numbers and passwords never stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from clientkeep.adapters.db.contact_tables import interaction
from clientkeep.interactions.recording import NoteWarnings
from clientkeep.shared.errors import InvalidInput
from tests.integration.interactions._contacts import customer, log, read
from tests.integration.record_kinds._storage import audit_events

CARD = "4111 1111 1111 1111"


def notes_of(container, personas, cid) -> list[dict[str, str]]:
    page = read(container, personas.agent, cid)
    return [dict(e.details) for e in page.entries if e.kind == "interaction"]


def test_hits_are_refused_with_each_field_kind_and_offset_and_nothing_saved(
    container, personas
) -> None:
    cid = customer(container, personas)
    with pytest.raises(NoteWarnings) as warned:
        log(container, personas.agent, cid, nature=f"paid {CARD}", actions_taken="has diabetes")
    hits = [(h.field, h.kind.value, h.start, h.end) for h in warned.value.hits]
    assert hits == [("nature", "card", 5, 24), ("actions_taken", "health", 4, 12)]
    assert [f for f, _ in warned.value.errors] == ["nature", "actions_taken"]
    assert all("4111" not in m for _, m in warned.value.errors)
    assert warned.value.redacted["nature"] == "paid [card number removed]"
    assert warned.value.keepable == ("health",)
    assert notes_of(container, personas, cid) == []


def test_a_redacted_note_is_saved_redacted_and_the_kinds_recorded(container, personas) -> None:
    cid = customer(container, personas)
    done = log(container, personas.agent, cid, nature=f"paid {CARD}", redact=True)
    assert done.redacted == ("card",)
    assert notes_of(container, personas, cid)[0]["Nature"] == "paid [card number removed]"
    with container.engine.connect() as conn:
        row = conn.execute(select(interaction).where(interaction.c.id == done.interaction_id)).one()
    assert row.warnings == '["card"]'
    detail = audit_events(container, "interaction.logged", cid)[-1].entry.detail
    assert detail["redacted"] == "card" and detail["kept"] == ""


def test_a_health_word_may_be_kept_but_a_card_or_password_never(container, personas) -> None:
    cid = customer(container, personas)
    kept = log(container, personas.agent, cid, actions_taken="uses a wheelchair", keep={"health"})
    assert kept.kept == ("health",)
    assert notes_of(container, personas, cid)[0]["Actions taken"] == "uses a wheelchair"
    with pytest.raises(InvalidInput) as refused:
        log(container, personas.agent, cid, nature=f"card {CARD}", keep={"card"})
    assert "keep" in [f for f, _ in refused.value.errors]
    with pytest.raises(NoteWarnings):
        log(container, personas.agent, cid, nature="password is Tiger99", keep={"health"})
    both = log(
        container,
        personas.agent,
        cid,
        nature="password is Tiger99 and pregnant",
        keep={"health"},
        redact=True,
    )
    assert (both.redacted, both.kept) == (("password",), ("health",))
    assert notes_of(container, personas, cid)[0]["Nature"] == (
        "password is [password removed] and pregnant"
    )
