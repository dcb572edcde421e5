"""A caller-facing screen's timeline (the web's Timeline tab) leaves out the changes of details
the purpose hides until the caller is verified, as the History tab does: the read's audit event
names only the fields shown; once this member has verified the caller they are shown; a reveal
(working away from the phone) shows them and is recorded; an unknown reveal is refused. The
API's timeline, with no mask, shows them."""

from __future__ import annotations

import pytest

from clientkeep.customers import services as customers
from clientkeep.shared.errors import InvalidInput
from clientkeep.verification import services as verification
from clientkeep.verification.timeline import CallerMask
from tests.integration.interactions._contacts import customer, log, read
from tests.integration.record_kinds._storage import audit_events


def masked(container, persona, cid: str, reveal: str | None = None):
    mask = CallerMask(
        cid, "service", persona.actor, container.policy, container.clock, reveal=reveal
    )
    return read(container, persona, cid, hide=mask), mask


def titles(page) -> set[str]:
    return {e.title for e in page.entries}


def test_masked_changes_are_left_out_until_the_caller_is_verified(container, personas) -> None:
    cid = customer(container, personas)
    log(container, personas.agent, cid)
    page, mask = masked(container, personas.agent, cid)
    assert "Email address collected" not in titles(page)
    assert {"Given name collected", "Phone call: enquiry"} <= titles(page)
    assert "email" in mask.hidden and mask.proof is None
    [event] = audit_events(container, "customer.timeline_read", cid)
    assert "email" not in event.entry.fields and "contact_notes" in event.entry.fields
    # Without a mask (the API), the change is there.
    assert "Email address collected" in titles(read(container, personas.agent, cid))


def test_a_verified_caller_unhides_them_for_that_member_only(container, personas) -> None:
    cid = customers.register(
        customers.RegisterCustomer(
            purpose="service",
            fields={
                "given_name": "Ada",
                "family_name": "Lovelace",
                "email": "ada@example.com",
                "postcode": "SW1A 1AA",
                "date_of_birth": "1979-03-14",
            },
            source="phone",
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer.id
    done = verification.check_knowledge(
        cid,
        verification.KnowledgeCheck(answers={"date_of_birth": "14/03/1979", "postcode": "sw1a1aa"}),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    assert done.verification_id is not None
    page, mask = masked(container, personas.agent, cid)
    assert "Email address collected" in titles(page) and mask.hidden == ()
    assert mask.proof is not None
    other, _ = masked(container, personas.supervisor, cid)
    assert "Email address collected" not in titles(other)


def test_a_reveal_shows_them_and_is_recorded(container, personas) -> None:
    cid = customer(container, personas)
    page, mask = masked(container, personas.agent, cid, reveal="returned_post")
    assert "Email address collected" in titles(page) and mask.revealed == "returned_post"
    [event] = audit_events(container, "customer.revealed", cid)
    assert event.entry.detail["reason"] == "returned_post"
    with pytest.raises(InvalidInput):
        masked(container, personas.agent, cid, reveal="because")
