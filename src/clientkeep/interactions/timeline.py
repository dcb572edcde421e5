"""A customer's timeline: what happened with them, newest first, a page at a time.

Every registered source (``Container.timeline_sources``, the contract in
``shared/timeline.py``) is asked for one page below the cursor; the pages are merged and cut,
so a customer with thousands of contacts costs a page per source, never a scan. Each source
shows only what the reader's projection shows. The read is one audit event naming the
customer and every field whose values the page showed.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.services import load_customer
from clientkeep.policy.access import projection_for
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import InvalidInput
from clientkeep.shared.timeline import TimelineEntry, TimelineSource
from clientkeep.staff.directory import directory

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
ACTION = "customer.timeline_read"


@dataclass(frozen=True, slots=True)
class TimelinePage:
    entries: tuple[TimelineEntry, ...]
    # Give it back as ``cursor`` for the next (older) page; None: this was the last.
    next_cursor: str | None
    purpose: str
    # {staff id: name and role} for everyone the page names.
    staff: dict[str, str] = field(default_factory=dict)


def encode_cursor(key: tuple[datetime, str]) -> str:
    raw = json.dumps([key[0].isoformat(), key[1]]).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    bad = InvalidInput([("cursor", "Use the cursor a previous page gave, unchanged.")])
    if len(cursor) > 200:
        raise bad
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        at, entry_id = json.loads(raw)
        when = datetime.fromisoformat(at)
        # An instant a page can end on is one storage holds: in UTC, within datetime's years.
        when = when.astimezone(UTC) if when.tzinfo is not None else when
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError, OverflowError):
        raise bad from None
    if not isinstance(entry_id, str) or when.tzinfo is None:
        raise bad
    return when, entry_id


def merge_pages(
    pages: Sequence[Sequence[TimelineEntry]], limit: int
) -> tuple[list[TimelineEntry], bool]:
    """The newest ``limit`` of the sources' pages, and whether any entry was left over."""
    merged = sorted((e for page in pages for e in page), key=lambda e: e.key, reverse=True)
    return merged[:limit], len(merged) > limit


@records_denials(ACTION, customer="customer_id")
def timeline(
    customer_id: str,
    *,
    purpose: str,
    uow: Any,
    actor: Actor,
    policy: Policy,
    sources: Sequence[TimelineSource],
    cursor: str | None = None,
    limit: int = DEFAULT_LIMIT,
    hide: Callable[[Any, frozenset[str]], AbstractSet[str]] | None = None,
) -> TimelinePage:
    """One page of the customer's timeline under ``purpose``, audited in the reading unit.

    ``hide``, called in that unit with it and the fields the projection shows, names fields
    to leave out besides: a caller-facing screen's details hidden until the caller is
    verified (``verification.timeline.CallerMask``)."""
    projection = projection_for(policy, actor.role, purpose)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput([("limit", f"Ask for 1 to {MAX_LIMIT} entries.")])
    before = decode_cursor(cursor) if cursor else None
    with uow:
        load_customer(uow, customer_id)
        shown = projection.shown
        if hide is not None:
            shown = shown - frozenset(hide(uow, shown))
        pages = [
            source.entries(uow, customer_id, shown=shown, before=before, limit=limit + 1)
            for source in sources
        ]
        entries, more = merge_pages(pages, limit)
        people = directory(uow.staff)
        fields = sorted({name for e in entries for name in e.fields})
        uow.audit.append(
            entry_for(
                actor,
                ACTION,
                customer_id=customer_id,
                purpose=projection.purpose,
                fields=tuple(fields),
                detail={"entries": len(entries), "older": bool(before)},
            )
        )
        uow.commit()
    return TimelinePage(
        entries=tuple(entries),
        next_cursor=encode_cursor(entries[-1].key) if more and entries else None,
        purpose=projection.purpose,
        staff=people.labels({e.staff_id for e in entries if e.staff_id}),
    )
