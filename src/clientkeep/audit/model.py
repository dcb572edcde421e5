"""Audit events and the hash chain that makes changing the past detectable.

Each event's hash is SHA-256 over the previous hash and a canonical encoding of the event, so
changing, deleting, inserting or reordering any event breaks every hash after it. Events hold
field names, never values: the trail must be safe to show an auditor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from clientkeep.shared.actor import Actor

GENESIS_HASH = "0" * 64
MAIN_CHAIN = "main"


class Outcome(StrEnum):
    SUCCESS = "success"
    DENIED = "denied"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """What a use case asks to record; the chain position is assigned on append."""

    action: str
    actor_id: str
    actor_role: str
    credential: str
    outcome: Outcome = Outcome.SUCCESS
    customer_id: str | None = None
    fields: tuple[str, ...] = ()
    purpose: str | None = None
    request_id: str | None = None
    # Non-personal context only (ids, counts, reasons from a fixed list).
    detail: Mapping[str, str | int | bool | None] = field(default_factory=dict)


def entry_for(
    actor: Actor,
    action: str,
    *,
    outcome: Outcome = Outcome.SUCCESS,
    customer_id: str | None = None,
    fields: tuple[str, ...] = (),
    purpose: str | None = None,
    detail: Mapping[str, str | int | bool | None] | None = None,
) -> AuditEntry:
    """An entry for what ``actor`` did, carrying their credential and request id."""
    return AuditEntry(
        action=action,
        actor_id=actor.id,
        actor_role=actor.role,
        credential=actor.credential,
        outcome=outcome,
        customer_id=customer_id,
        fields=fields,
        purpose=purpose,
        request_id=actor.request_id,
        detail=dict(detail or {}),
    )


@dataclass(frozen=True, slots=True)
class AuditEvent:
    chain: str
    seq: int
    id: str
    occurred_at: datetime
    entry: AuditEntry
    prev_hash: str
    hash: str


def canonical_bytes(
    *, chain: str, seq: int, event_id: str, occurred_at: datetime, entry: AuditEntry
) -> bytes:
    body = {
        "chain": chain,
        "seq": seq,
        "id": event_id,
        "at": occurred_at.isoformat(timespec="microseconds"),
        "action": entry.action,
        "actor": entry.actor_id,
        "role": entry.actor_role,
        "credential": entry.credential,
        "outcome": str(entry.outcome),
        "customer": entry.customer_id,
        "fields": list(entry.fields),
        "purpose": entry.purpose,
        "request": entry.request_id,
        "detail": dict(sorted(entry.detail.items())),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, canonical: bytes) -> str:
    return hashlib.sha256(bytes.fromhex(prev_hash) + canonical).hexdigest()


def seal_event(
    *,
    chain: str,
    seq: int,
    event_id: str,
    occurred_at: datetime,
    entry: AuditEntry,
    prev_hash: str,
) -> AuditEvent:
    canonical = canonical_bytes(
        chain=chain, seq=seq, event_id=event_id, occurred_at=occurred_at, entry=entry
    )
    return AuditEvent(
        chain=chain,
        seq=seq,
        id=event_id,
        occurred_at=occurred_at,
        entry=entry,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, canonical),
    )


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    count: int
    head_hash: str
    first_bad_seq: int | None = None
    first_bad_id: str | None = None
    problem: str | None = None


def verify_chain(
    events: Iterable[AuditEvent],
    *,
    head_seq: int | None,
    head_hash: str | None,
    head_authentic: bool = True,
) -> VerifyResult:
    """Walk the events in stored order and recompute every link.

    The recorded head (kept apart from the events) catches deletion of the newest events,
    which no link inside the chain could reveal. The head is sealed with a key only the
    key store holds, so rewriting the whole chain and its head needs the master key too.
    """
    if not head_authentic:
        return VerifyResult(
            False,
            0,
            GENESIS_HASH,
            head_seq,
            None,
            "the chain head's seal does not match: the head was altered",
        )
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for event in events:
        problem = None
        bad_seq: int = event.seq
        bad_id: str | None = event.id
        if event.seq != expected_seq:
            # Name the position that is wrong: the event that should be here is missing or moved.
            problem = f"event {expected_seq} is missing or out of order (found event {event.seq})"
            bad_seq, bad_id = expected_seq, None
        elif event.prev_hash != expected_prev:
            problem = "link to the previous event is broken"
        else:
            canonical = canonical_bytes(
                chain=event.chain,
                seq=event.seq,
                event_id=event.id,
                occurred_at=event.occurred_at,
                entry=event.entry,
            )
            if chain_hash(event.prev_hash, canonical) != event.hash:
                problem = "content does not match its hash"
        if problem is not None:
            return VerifyResult(False, count, expected_prev, bad_seq, bad_id, problem)
        expected_prev = event.hash
        expected_seq += 1
        count += 1
    recorded_seq, recorded_hash = head_seq or 0, head_hash or GENESIS_HASH
    if recorded_seq != count:
        return VerifyResult(
            False,
            count,
            expected_prev,
            min(count, recorded_seq) + 1,
            None,
            f"chain head records {recorded_seq} events but {count} were found",
        )
    if recorded_hash != expected_prev:
        return VerifyResult(
            False, count, expected_prev, count, None, "newest event does not match the chain head"
        )
    return VerifyResult(True, count, expected_prev)
