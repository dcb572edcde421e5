"""What the audit use cases need from storage."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Protocol

from clientkeep.audit.model import AuditEntry, AuditEvent, Link


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The head of a chain: as recorded beside the events, or as a checkpoint kept apart."""

    seq: int
    hash: str
    # False when the keyed seal does not match: someone wrote it without the key.
    authentic: bool


@dataclass(frozen=True, slots=True)
class TrailFilter:
    """Which events of a chain: a window of positions, and what they must match (all of it).

    Positions, not times: the trail is read by walking ``(chain, seq)`` in order, and a time
    is first turned into a position with ``first_seq_at``.
    """

    after_seq: int = 0  # exclusive
    before_seq: int | None = None  # exclusive; None: up to the newest
    customer_id: str | None = None  # its own events and those that showed it among others
    actor_id: str | None = None
    action: str | None = None
    # Any of these actions (the chart's reads); empty: any action.
    actions: tuple[str, ...] = ()
    outcome: str | None = None
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class DailyCount:
    actor_id: str
    day: date  # UTC
    count: int


_LEGACY = frozenset({"after_seq", "customer_id", "action"})


def with_legacy(where: TrailFilter | None, legacy: dict[str, Any]) -> TrailFilter:
    """``where`` with the first version's page keywords folded in (a mistyped one is refused)."""
    unknown = set(legacy) - _LEGACY
    if unknown:
        raise TypeError(f"page() got unexpected keywords {sorted(unknown)}")
    return replace(where or TrailFilter(), **legacy)


class AuditLog(Protocol):
    def append(self, entry: AuditEntry, *, chain: str = ...) -> AuditEvent:
        """Append in the caller's transaction; serialised per chain."""
        ...

    def append_many(self, entries: Sequence[AuditEntry], *, chain: str = ...) -> None:
        """Append several events in order under one lock of the chain (bulk work)."""
        ...

    def links(self, *, chain: str = ...) -> Iterator[Link]:
        """Every stored event's link, in sequence order, streamed (constant memory)."""
        ...

    def begin_copy_check(self, *, chain: str = ...) -> Callable[[], int | None]:
        """Start looking for the first event whose searchable columns differ from the bytes
        its hash covers; the callable returned waits for the answer (None: every copy agrees).

        Begun before the chain is rehashed, so storage may do both at once.
        """
        ...

    def head(self, *, chain: str = ...) -> ChainHead | None: ...

    def checkpoint(self, *, chain: str = ...) -> ChainHead | None:
        """The newest checkpoint of the head, kept outside the events' database, if any.

        Written after commit every few seconds while events are appended, so a trail cut
        back to an older head is shorter than its newest checkpoint.
        """
        ...

    def page(
        self,
        where: TrailFilter | None = None,
        *,
        chain: str = ...,
        limit: int = 50,
        newest_first: bool = False,
        **legacy: Any,
    ) -> list[AuditEvent]:
        """Up to ``limit`` matching events, walking the chain's positions in one direction.

        ``legacy``: the keywords of the first version (after_seq, customer_id, action), for
        callers that still pass them; folded into ``where``.
        """
        ...

    def first_seq_at(self, at: datetime, *, chain: str = ...) -> int:
        """The position of the first event at or after ``at``; one past the newest if none.

        Events are appended in time order, so this is a search over positions (a few
        lookups by key), never a scan.
        """
        ...

    def newest_seq(self, *, chain: str = ...) -> int:
        """The position of the newest stored event (0 for an empty chain)."""
        ...

    def count(self, where: TrailFilter, *, chain: str = ...) -> int: ...

    def daily_counts(self, where: TrailFilter, *, chain: str = ...) -> list[DailyCount]:
        """Matching events per actor per UTC day; the caller bounds ``where`` to a window."""
        ...
