"""A head put back from earlier is older than the newest checkpoint, and verify says so."""

from __future__ import annotations

from clientkeep.audit.model import AuditEvent, link_of, seal_event, verify_links
from tests.unit.audit.test_chain_detects_tampering import build_chain


def verify(events: list[AuditEvent], *, head: AuditEvent, checkpoint: AuditEvent, **kwargs):
    return verify_links(
        [link_of(e) for e in events],
        head=(head.seq, head.hash),
        checkpoint=(checkpoint.seq, checkpoint.hash),
        **kwargs,
    )


def test_an_older_head_with_the_newer_events_deleted_fails_against_a_newer_checkpoint() -> None:
    events = build_chain(6)
    result = verify(events[:3], head=events[2], checkpoint=events[4])
    assert not result.ok
    assert result.first_bad_seq == 4
    assert "older than the newest checkpoint" in result.problem


def test_a_whole_trail_verifies_with_a_checkpoint_at_or_before_its_head() -> None:
    events = build_chain(6)
    assert verify(events, head=events[-1], checkpoint=events[-1]).ok
    assert verify(events, head=events[-1], checkpoint=events[3]).ok


def test_the_result_names_the_head_and_the_newest_checkpoint() -> None:
    events = build_chain(6)
    result = verify(events, head=events[-1], checkpoint=events[3])
    assert (result.head_seq, result.head_hash) == (6, events[-1].hash)
    assert (result.checkpoint_seq, result.checkpoint_hash) == (4, events[3].hash)
    broken = verify(events[:2], head=events[1], checkpoint=events[3])
    assert (broken.checkpoint_seq, broken.checkpoint_hash) == (4, events[3].hash)


def test_a_trail_rewritten_from_before_the_checkpoint_fails_at_the_checkpoints_event() -> None:
    # Someone who could seal a head (or who put back an old one and let the trail grow again)
    # has a chain whose event at the checkpoint is not the one checkpointed.
    events = build_chain(6)
    checkpointed = events[3]
    rewritten = events[:2]
    for seq in range(3, 7):
        rewritten.append(
            seal_event(
                chain="main",
                seq=seq,
                event_id=f"aud_new_{seq}",
                occurred_at=events[seq - 1].occurred_at,
                entry=events[seq - 1].entry,
                prev_hash=rewritten[-1].hash,
            )
        )
    result = verify(rewritten, head=rewritten[-1], checkpoint=checkpointed)
    assert not result.ok
    assert result.first_bad_seq == 4
    assert "checkpoint" in result.problem


def test_a_checkpoint_whose_seal_does_not_match_fails() -> None:
    events = build_chain(3)
    result = verify(events, head=events[-1], checkpoint=events[-1], checkpoint_authentic=False)
    assert not result.ok and "checkpoint's seal" in result.problem


def test_a_trail_with_no_checkpoint_yet_verifies_on_its_head_alone() -> None:
    events = build_chain(3)
    result = verify_links([link_of(e) for e in events], head=(3, events[-1].hash))
    assert result.ok and result.checkpoint_seq is None and result.checkpoint_hash is None
