"""What the customer use cases need from storage. Sealing and indexing happen behind these."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from clientkeep.audit.ports import AuditLog
from clientkeep.customers.model import Change, Customer, FieldRecord
from clientkeep.shared.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class IndexTerm:
    field: str
    kind: str
    term: str


@dataclass(frozen=True, slots=True)
class DuplicateSuspect:
    id: str
    customer_id: str
    other_id: str
    reasons: tuple[str, ...]
    detected_at: datetime


class CustomerRepository(Protocol):
    def add(self, customer: Customer, terms: Iterable[IndexTerm]) -> None:
        """Make the customer's data key, seal every value, write the blind index."""
        ...

    def add_many(self, customers: Sequence[tuple[Customer, Iterable[IndexTerm]]]) -> None:
        """``add`` for a batch: one key-store transaction and one insert per table."""
        ...

    def get(self, customer_id: str) -> Customer | None: ...

    def get_many(
        self, customer_ids: Sequence[str], *, fields: Collection[str] | None = None
    ) -> list[Customer]:
        """Only ``fields`` are opened when given: a search needs names, not whole records."""
        ...

    def set_fields(
        self, customer_id: str, records: Mapping[str, FieldRecord], at: datetime
    ) -> None: ...

    def remove_fields(self, customer_id: str, names: Iterable[str], at: datetime) -> None: ...

    def replace_terms(
        self, customer_id: str, fields: Iterable[str], terms: Iterable[IndexTerm]
    ) -> None: ...

    def live_ids(self, *, after: str | None, limit: int) -> list[str]:
        """Ids of live customers after ``after``, in id order: for walking the whole book."""
        ...

    def replace_all_terms(self, customer_id: str, terms: Iterable[IndexTerm]) -> None:
        """Drop every index term of the customer and write ``terms`` instead."""
        ...

    def find_by_terms(self, terms: Iterable[tuple[str, str]], *, limit: int = 500) -> list[str]:
        """Ids of live customers holding any of the (kind, term) pairs, most terms first."""
        ...

    def mark_merged(self, customer_id: str, survivor_id: str, at: datetime) -> None:
        """Drop the duplicate's values and index, destroy its key; keep a tombstone id."""
        ...

    def stale_candidates(self, cutoffs: Mapping[str, datetime], *, limit: int) -> list[str]:
        """Live customers holding a field last confirmed before its cutoff."""
        ...


class HistoryRepository(Protocol):
    def add(self, changes: Iterable[Change]) -> None: ...

    def for_customer(self, customer_id: str) -> list[Change]: ...

    def move(self, from_id: str, to_id: str) -> int:
        """Re-home a merged record's history, resealed under the survivor's key."""
        ...


class DuplicateRepository(Protocol):
    def add(self, suspect: DuplicateSuspect) -> None: ...

    def open(self, *, limit: int) -> list[DuplicateSuspect]: ...

    def resolve_for(self, customer_id: str, at: datetime, resolution: str) -> None: ...

    def resolve(self, suspect_id: str, at: datetime, resolution: str) -> bool: ...

    def shared_token_groups(
        self, kind: str, *, after: str | None = None, limit: int = 1000, max_size: int = 50
    ) -> list[tuple[str, int, tuple[str, ...]]]:
        """Blind-index tokens of ``kind`` held more than once: up to ``limit`` of them in
        token order, starting after the cursor ``after``, each as (cursor, how many customers
        hold it, their ids). The ids are left out (an empty tuple) when more than ``max_size``
        hold it, a common value rather than a duplicate, and when one customer holds it twice.
        Merged customers hold no index rows, so every id is of a live customer.

        A cursor is the token in hex. Tokens are keyed hashes, spread evenly, so a cursor's
        place in token order says how far through the kind a scan has come.
        """
        ...

    def known_pairs(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Those of ``pairs`` already suspected (open or resolved), each as given."""
        ...


class IdempotencyRepository(Protocol):
    def recall(self, actor_id: str, key: str) -> tuple[str, str] | None:
        """(fingerprint, customer id) remembered for this actor's key, if any."""
        ...

    def remember(
        self, actor_id: str, key: str, fingerprint: str, customer_id: str, at: datetime
    ) -> bool:
        """Store the key; False if a concurrent request stored it first."""
        ...

    def fingerprint(self, canonical_request: str) -> str:
        """A keyed digest: a plain hash of personal data could be guessed offline."""
        ...


class CustomerUnitOfWork(UnitOfWork, Protocol):
    customers: CustomerRepository
    history: HistoryRepository
    duplicates: DuplicateRepository
    idempotency: IdempotencyRepository
    audit: AuditLog
