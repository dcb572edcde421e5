"""Changing, deleting, inserting or reordering any event is detected by verify_links."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from clientkeep.audit.model import (
    GENESIS_HASH,
    AuditEntry,
    AuditEvent,
    Outcome,
    canonical_bytes,
    link_of,
    seal_event,
    verify_links,
)

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def build_chain(n: int) -> list[AuditEvent]:
    events: list[AuditEvent] = []
    prev = GENESIS_HASH
    for i in range(1, n + 1):
        entry = AuditEntry(
            action="customer.read",
            actor_id=f"stf_{i}",
            actor_role="agent",
            credential="test",
            customer_id=f"cus_{i}",
            fields=("email",),
            purpose="service",
            detail={"n": i},
        )
        event = seal_event(
            chain="main",
            seq=i,
            event_id=f"aud_{i}",
            occurred_at=T0 + timedelta(seconds=i),
            entry=entry,
            prev_hash=prev,
        )
        events.append(event)
        prev = event.hash
    return events


def stored(event: AuditEvent) -> tuple[int, bytes, str]:
    """The link as a tamperer would leave it: the event's content re-encoded, hashes kept."""
    body = canonical_bytes(
        chain=event.chain,
        seq=event.seq,
        event_id=event.id,
        occurred_at=event.occurred_at,
        entry=event.entry,
    )
    return (event.seq, body, event.hash)


def verify(events: list[AuditEvent], head: AuditEvent | None = None, later_head=None):
    last = head if head is not None else (events[-1] if events else None)
    return verify_links(
        [stored(e) for e in events],
        head=(last.seq, last.hash) if last else (0, GENESIS_HASH),
        later_head=later_head,
    )


def test_an_untouched_chain_verifies_with_its_count_and_head() -> None:
    events = build_chain(5)
    result = verify(events)
    assert result.ok and result.count == 5 and result.head_hash == events[-1].hash


def test_the_stored_bytes_are_the_canonical_encoding() -> None:
    events = build_chain(3)
    assert [link_of(e) for e in events] == [stored(e) for e in events]


def test_a_chain_with_no_head_fails_even_when_it_holds_no_events() -> None:
    # Deleting the whole trail and its head must not pass as "an empty, intact trail".
    result = verify_links([], head=None)
    assert not result.ok and result.problem == "the chain head is missing"


def test_a_head_whose_seal_is_wrong_fails() -> None:
    events = build_chain(2)
    result = verify_links(
        [link_of(e) for e in events], head=(2, events[-1].hash), head_authentic=False
    )
    assert not result.ok and "seal" in result.problem


def test_events_appended_while_verifying_pass_once_the_head_has_moved() -> None:
    events = build_chain(6)
    assert verify(events, head=events[4], later_head=lambda: 6).ok
    assert not verify(events, head=events[4], later_head=lambda: 5).ok


def test_flipping_one_stored_byte_is_detected() -> None:
    links = [link_of(e) for e in build_chain(4)]
    seq, body, digest = links[1]
    links[1] = (seq, body.replace(b"customer.read", b"customer.reaD"), digest)
    result = verify_links(links, head=(4, links[-1][2]))
    assert not result.ok and result.first_bad_seq == 2


@pytest.mark.parametrize("position", [0, 2, 4])
@pytest.mark.parametrize(
    "change",
    [
        lambda e: replace(e, entry=replace(e.entry, action="customer.update")),
        lambda e: replace(e, entry=replace(e.entry, fields=("email", "phone"))),
        lambda e: replace(e, entry=replace(e.entry, outcome=Outcome.DENIED)),
        lambda e: replace(e, entry=replace(e.entry, detail={"n": 99})),
        lambda e: replace(e, occurred_at=e.occurred_at + timedelta(microseconds=1)),
        lambda e: replace(e, entry=replace(e.entry, actor_id="stf_someone_else")),
    ],
    ids=["action", "fields", "outcome", "detail", "time", "actor"],
)
def test_changing_any_event_is_detected_at_that_event(position: int, change) -> None:
    events = build_chain(5)
    events[position] = change(events[position])
    result = verify(events, head=build_chain(5)[-1])
    assert not result.ok
    assert result.first_bad_seq == position + 1


def test_rehashing_a_changed_event_still_breaks_the_next_link() -> None:
    events = build_chain(5)
    forged = seal_event(
        chain="main",
        seq=3,
        event_id="aud_3",
        occurred_at=events[2].occurred_at,
        entry=replace(events[2].entry, action="forged"),
        prev_hash=events[2].prev_hash,
    )
    events[2] = forged
    result = verify(events, head=build_chain(5)[-1])
    assert not result.ok and result.first_bad_seq == 4


@pytest.mark.parametrize("position", [0, 2])
def test_deleting_an_event_in_the_middle_is_detected(position: int) -> None:
    events = build_chain(5)
    head = events[-1]
    del events[position]
    result = verify(events, head=head)
    assert not result.ok and result.first_bad_seq == position + 1


def test_deleting_the_newest_event_is_detected_by_the_recorded_head() -> None:
    events = build_chain(5)
    head = events[-1]
    result = verify(events[:-1], head=head)
    assert not result.ok and result.first_bad_seq == 5


def test_inserting_an_event_is_detected() -> None:
    events = build_chain(5)
    head = events[-1]
    intruder = seal_event(
        chain="main",
        seq=3,
        event_id="aud_x",
        occurred_at=T0,
        entry=events[2].entry,
        prev_hash=events[1].hash,
    )
    events.insert(2, intruder)
    result = verify(events, head=head)
    assert not result.ok and result.first_bad_seq is not None and result.first_bad_seq <= 4


def test_swapping_two_events_is_detected() -> None:
    events = build_chain(5)
    head = events[-1]
    events[1], events[2] = events[2], events[1]
    result = verify(events, head=head)
    assert not result.ok and result.first_bad_seq == 2


def test_appending_without_moving_the_head_is_detected() -> None:
    events = build_chain(6)
    result = verify(events, head=events[4])
    assert not result.ok and result.first_bad_seq == 6
