"""Audit events and the hash chain that makes changing the past detectable.

Each event's hash is SHA-256 over the previous hash and a canonical encoding of the event, so
changing, deleting, inserting or reordering any event breaks every hash after it. Events hold
field names, never values: the trail must be safe to show an auditor.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from clientkeep.shared.actor import Actor

GENESIS_HASH = "0" * 64
MAIN_CHAIN = "main"
# The detail keys of an event that showed customers: the ids of everyone it showed besides
# its own customer (comma-separated), and the fields shown of them. In the hashed detail, so
# the trail's index of who was shown (kept beside it, for finding a customer's events) is a
# copy that verification checks like the others.
SHOWN = "shown"
SHOWN_FIELDS = "shown_fields"


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

    @property
    def shown(self) -> tuple[str, ...]:
        """The customers this event showed besides its own ``customer_id``."""
        listed = self.detail.get(SHOWN)
        return tuple(listed.split(",")) if isinstance(listed, str) and listed else ()

    @property
    def customers(self) -> tuple[str, ...]:
        """Every customer this event concerns: its own, then any others it showed."""
        own = (self.customer_id,) if self.customer_id is not None else ()
        return own + self.shown


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
    # The canonical bytes the hash covers, exactly as stored.
    body: bytes = b""


def canonical_bytes(
    *, chain: str, seq: int, event_id: str, occurred_at: datetime, entry: AuditEntry
) -> bytes:
    body = {
        "chain": chain,
        "seq": seq,
        "id": event_id,
        "at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
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
    occurred_at = occurred_at.astimezone(UTC)
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
        body=canonical,
    )


def event_from_body(body: bytes, *, prev_hash: str, hash: str) -> AuditEvent:
    """The event as the chain protects it: decoded from the very bytes that were hashed."""
    data = json.loads(body)
    entry = AuditEntry(
        action=data["action"],
        actor_id=data["actor"],
        actor_role=data["role"],
        credential=data["credential"],
        outcome=Outcome(data["outcome"]),
        customer_id=data["customer"],
        fields=tuple(data["fields"]),
        purpose=data["purpose"],
        request_id=data["request"],
        detail=data["detail"],
    )
    return AuditEvent(
        chain=data["chain"],
        seq=data["seq"],
        id=data["id"],
        occurred_at=datetime.fromisoformat(data["at"]),
        entry=entry,
        prev_hash=prev_hash,
        hash=hash,
        body=body,
    )


Link = tuple[int, bytes, str]  # seq, body, hash: as stored


@dataclass(frozen=True, slots=True)
class VerifyResult:
    ok: bool
    # Events checked, in order from the first, and the hash of the last of them: when ok, the
    # head of the trail as verified, for an operator to record outside clientkeep.
    count: int
    head_hash: str
    first_bad_seq: int | None = None
    problem: str | None = None
    # The newest checkpoint of the head kept outside the main database, if there is one.
    checkpoint_seq: int | None = None
    checkpoint_hash: str | None = None

    @property
    def head_seq(self) -> int:
        return self.count


def link_of(event: AuditEvent) -> Link:
    return (event.seq, event.body, event.hash)


def verify_links(
    links: Iterable[Link],
    *,
    head: tuple[int, str] | None,
    head_authentic: bool = True,
    later_head: Callable[[], int] | None = None,
    checkpoint: tuple[int, str] | None = None,
    checkpoint_authentic: bool = True,
) -> VerifyResult:
    """Walk the stored links in order, rehashing each event's stored bytes.

    The recorded head (kept apart from the events, sealed with a key only the key store holds)
    catches deletion of the newest events, which no link inside the chain could reveal. Events
    past the head are legitimate only if the head has since moved past them (appends that
    committed while verification ran); ``later_head`` reads the head again to tell.

    A sealed head stays valid for ever, so putting back an older head (with the events after it
    deleted) would pass on the head alone. The checkpoint, a head recorded outside the main
    database, must be read before the head: the head may not be older than it, and the event
    at its position must still carry the hash it recorded.
    """
    # Position 0 is no event's: without a checkpoint the check inside the loop never fires.
    cp_seq, cp_hash = checkpoint if checkpoint is not None else (0, GENESIS_HASH)
    shown_seq, shown_hash = checkpoint if checkpoint is not None else (None, None)

    def failed(count: int, head_hash: str, bad: int, problem: str) -> VerifyResult:
        return VerifyResult(False, count, head_hash, bad, problem, shown_seq, shown_hash)

    if head is None:
        return failed(0, GENESIS_HASH, 1, "the chain head is missing")
    if not head_authentic:
        return failed(0, GENESIS_HASH, head[0], "the chain head's seal does not match")
    if not checkpoint_authentic:
        return failed(0, GENESIS_HASH, cp_seq, "the newest checkpoint's seal does not match")
    head_seq, head_hash = head
    sha256 = hashlib.sha256
    prev_hex, prev_raw = GENESIS_HASH, bytes(32)
    expected = 1
    # Each event's stored prev_hash column is a copy of the link, checked in SQL with the other
    # copies; here the link is what we computed for the event before, so it cannot be faked.
    for seq, body, stored in links:
        if seq != expected:
            # Name the position that is wrong: the event that should be here is missing or moved.
            problem = f"event {expected} is missing or out of order (found event {seq})"
            return failed(expected - 1, prev_hex, expected, problem)
        digest = sha256(prev_raw + body)
        hex_digest = digest.hexdigest()
        if hex_digest != stored:
            return failed(seq - 1, prev_hex, seq, "content does not match its hash")
        if seq == head_seq and stored != head_hash:
            return failed(seq, stored, seq, "the event at the head does not match the chain head")
        if seq == cp_seq and stored != cp_hash:
            return failed(seq - 1, prev_hex, seq, "the event does not carry its checkpoint's hash")
        prev_hex, prev_raw = hex_digest, digest.digest()
        expected += 1
    count = expected - 1
    if count < head_seq:
        problem = f"chain head records {head_seq} events but {count} were found"
        return failed(count, prev_hex, count + 1, problem)
    if cp_seq > head_seq:
        problem = (
            f"the chain head (event {head_seq}) is older than the newest checkpoint "
            f"(event {cp_seq}): the trail has been cut short"
        )
        return failed(count, prev_hex, head_seq + 1, problem)
    if count > head_seq and (later_head is None or later_head() < count):
        return failed(count, prev_hex, head_seq + 1, "events were added without moving the head")
    return VerifyResult(True, count, prev_hex, None, None, shown_seq, shown_hash)
