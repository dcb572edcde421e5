"""The contract every kind of personal record keeps.

Each capability that stores personal data about a customer (field values, field history, and
later interactions, consents, verifications, disclosures, requests...) registers one object
per kind of record in the composition root. Merge, the access pack, erasure and retention go
through the registry, so a new capability adds itself by registering, never by editing them,
and one contract test suite runs for every registered kind.

Each kind works through the repositories of the unit of work it is given, so ``uow`` is typed
loosely here: the SQL unit of work satisfies every capability's protocol.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class RowRef:
    """One row of a kind: whose it is, why it is held and what it holds (names, not values)."""

    kind: str
    row_id: str
    customer_id: str
    # The purposes the row is held for: it may be kept while any of them still needs it.
    purposes: frozenset[str]
    fields: frozenset[str]
    # When the row was made or last changed.
    at: datetime


@dataclass(frozen=True, slots=True)
class PackedRow:
    """A row as it goes into a subject access pack: opened, with what it is held for."""

    ref: RowRef
    content: Mapping[str, str | None]


@dataclass(frozen=True, slots=True)
class MergeContext:
    """A merge of ``duplicate_id`` into ``survivor_id``, for each kind to move its rows."""

    survivor_id: str
    duplicate_id: str
    actor: Any  # the Actor merging
    purpose: str
    reason: str
    now: datetime
    # Fields whose duplicate value replaces the survivor's (customer fields only).
    take_from_duplicate: frozenset[str] = frozenset()


class RecordKind(Protocol):
    name: str
    label: str

    def rows(self, uow: Any, customer_id: str) -> list[RowRef]:
        """Every row of this kind the customer has (reachable from their id alone)."""
        ...

    def pack(self, uow: Any, customer_id: str) -> list[PackedRow]:
        """Every row opened, for the customer's access pack."""
        ...

    def move(self, uow: Any, merge: MergeContext) -> int:
        """Re-home the duplicate's rows on the survivor (resealed under its key); how many."""
        ...

    def erase(self, uow: Any, customer_id: str, row_ids: Iterable[str] | None = None) -> int:
        """Delete the customer's rows (only ``row_ids`` when given); how many went."""
        ...


def due(kind: RecordKind, uow: Any, customer_id: str, expired: frozenset[str]) -> list[RowRef]:
    """Rows a retention run may dispose of: every purpose each is held for has expired."""
    return [row for row in kind.rows(uow, customer_id) if row.purposes <= expired]


class RecordKinds:
    """The registry: each kind once, in the order merge and erasure visit them."""

    def __init__(self, kinds: Iterable[RecordKind]) -> None:
        self._kinds: dict[str, RecordKind] = {}
        for kind in kinds:
            if kind.name in self._kinds:
                raise ValueError(f"record kind {kind.name!r} registered twice")
            self._kinds[kind.name] = kind

    def __iter__(self) -> Iterator[RecordKind]:
        return iter(self._kinds.values())

    def __len__(self) -> int:
        return len(self._kinds)

    def __getitem__(self, name: str) -> RecordKind:
        return self._kinds[name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._kinds)
