"""Reading one contact to correct it: its notes opened, the read audited naming the customer
and the notes field under the contact's own purpose; another customer's id is not found; a
corrected contact says so. A correction sending the old text back unchanged is not warned of
what was kept when it was logged; a changed text is checked again."""

from __future__ import annotations

import pytest

from clientkeep.interactions import reading
from clientkeep.interactions.recording import NoteWarnings
from clientkeep.shared.errors import NotFound
from tests.integration.interactions._contacts import correct, customer, log
from tests.integration.record_kinds._storage import audit_events


def read_one(container, persona, cid: str, iid: str) -> reading.ContactRead:
    return reading.read_interaction(
        cid, iid, uow=container.uow(), actor=persona.actor, policy=container.policy
    )


def test_the_read_opens_the_notes_and_is_audited(container, personas) -> None:
    cid = customer(container, personas)
    iid = log(container, personas.agent, cid, nature="asked about the bill", purpose="billing")
    found = read_one(container, personas.agent, cid, iid.interaction_id)
    assert found.interaction.notes.nature == "asked about the bill" and not found.corrected
    [event] = audit_events(container, "interaction.read", cid)
    assert event.entry.fields == ("contact_notes",) and event.entry.purpose == "billing"
    assert event.entry.detail["interaction_id"] == iid.interaction_id
    other = customer(container, personas, given="Grace")
    with pytest.raises(NotFound):
        read_one(container, personas.agent, other, iid.interaction_id)
    correct(container, personas.agent, cid, iid.interaction_id, reason="wrong channel")
    assert read_one(container, personas.agent, cid, iid.interaction_id).corrected


def test_unchanged_text_is_not_checked_again_but_changed_text_is(container, personas) -> None:
    cid = customer(container, personas)
    nature = "needs large print after a stroke"
    old = log(container, personas.agent, cid, nature=nature, keep=frozenset({"health"}))
    fixed = correct(
        container,
        personas.agent,
        cid,
        old.interaction_id,
        reason="it was an email",
        nature=nature,
        channel="email",
    )
    assert read_one(container, personas.agent, cid, fixed).interaction.notes.nature == nature
    with pytest.raises(NoteWarnings) as warned:
        correct(
            container, personas.agent, cid, fixed, reason="more", nature=nature + " and diabetes"
        )
    assert {h.kind.value for h in warned.value.hits} == {"health"}
