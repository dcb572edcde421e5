"""What the customer use cases need from storage. Sealing and indexing happen behind these."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from clientkeep.audit.ports import AuditLog
from clientkeep.customers.model import Change, Customer, FieldRecord
from clientkeep.policy.model import Policy
from clientkeep.shared.key_outbox import KeyOutbox
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


@dataclass(frozen=True, slots=True)
class ListPosition:
    """A place in a list of customers: the last (or first) one a page showed."""

    # With needs-review first: 0 for those needing review, 1 for the rest; otherwise 0.
    group: int
    at: datetime  # the sort key: when created or last changed
    customer_id: str  # breaks ties, so every customer has one place


@dataclass(frozen=True, slots=True)
class ListSpec:
    """Which live customers a list holds and in what order. Only plaintext metadata (times,
    ids, confirmation times, suspicions) decide: values are sealed, so names cannot."""

    key: str  # "created_at" or "updated_at"
    descending: bool
    # Customers needing review (a field past its cutoff, or an open duplicate suspicion)
    # first, each group in ``key`` order.
    review_first: bool
    # Per field: a value last confirmed before this needs confirming again.
    cutoffs: Mapping[str, datetime]
    needs_review_only: bool = False
    stale_only: bool = False
    created_from: datetime | None = None
    created_until: datetime | None = None  # exclusive
    updated_from: datetime | None = None
    updated_until: datetime | None = None  # exclusive


@dataclass(frozen=True, slots=True)
class ListedRow:
    customer_id: str
    created_at: datetime
    updated_at: datetime
    group: int  # as in ListPosition


@dataclass(frozen=True, slots=True)
class LikelyDuplicate:
    customer: Customer  # opened with only the fields the rules compare
    reasons: tuple[str, ...]
    score: float


class CustomerRepository(Protocol):
    def lock(self, customer_ids: Sequence[str]) -> None:
        """Hold these customers against every other change until the unit ends.

        Every use case that changes a customer calls this before reading what it changes, so
        two changes to one customer run one after the other and each sees the other's result.
        Several are locked in id order, so two units locking the same pair cannot deadlock.
        """
        ...

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
        """Drop every index term made from the customer's values and write ``terms`` instead;
        the import marks (``import_fingerprint.IMPORT_FIELD``), which no value makes again,
        are kept."""
        ...

    def move_terms(self, from_id: str, to_id: str, fields: Iterable[str]) -> None:
        """Give ``to_id`` the index terms of ``fields`` that ``from_id`` holds (a merge's
        import marks); one it already holds is not held twice."""
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

    def count_stale(self, cutoffs: Mapping[str, datetime]) -> int:
        """How many customers ``stale_candidates`` would name with no limit."""
        ...

    def stale_fields(
        self, customer_ids: Collection[str], cutoffs: Mapping[str, datetime]
    ) -> dict[str, frozenset[str]]:
        """The fields of each of these customers last confirmed before their cutoff (only
        customers holding one are keys). Reads times, opens no value."""
        ...

    def list_live(
        self, spec: ListSpec, *, start: ListPosition | None, backwards: bool, limit: int
    ) -> list[ListedRow]:
        """Up to ``limit`` live customers in ``spec``'s order, strictly after ``start`` (from
        the beginning when None); ``backwards``: strictly before it, nearest first (from the
        end when None). Keyset paging: each page is a walk along an index, however deep."""
        ...

    def erase_fields(self, customer_id: str, names: Iterable[str] | None = None) -> int:
        """Delete the customer's values (only ``names`` when given) and their own index terms;
        how many values went. With no names every term goes; otherwise the caller rewrites
        the composite terms from what is left, and the import marks go too (a fingerprint of
        a row holding an erased value is a token of that value)."""
        ...


class HistoryRepository(Protocol):
    def add(self, changes: Iterable[Change]) -> None: ...

    def for_customer(self, customer_id: str) -> list[Change]: ...

    def page(
        self,
        customer_id: str,
        *,
        fields: Iterable[str],
        before: tuple[datetime, str] | None,
        limit: int,
    ) -> list[Change]:
        """Up to ``limit`` changes of these fields below (changed_at, id), newest first."""
        ...

    def move(self, from_id: str, to_id: str) -> int:
        """Re-home a merged record's history, resealed under the survivor's key."""
        ...

    def erase(self, customer_id: str, ids: Iterable[str] | None = None) -> int:
        """Delete the customer's history entries (only ``ids`` when given); how many went."""
        ...


class DuplicateRepository(Protocol):
    def add(self, suspect: DuplicateSuspect) -> None: ...

    def open(self, *, limit: int) -> list[DuplicateSuspect]: ...

    def count_open(self) -> int:
        """How many suspects ``open`` would return with no limit."""
        ...

    def suspected_among(self, customer_ids: Collection[str]) -> set[str]:
        """Those of ``customer_ids`` in an open suspicion, on either side of it."""
        ...

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


class DuplicateFinder(Protocol):
    """Finds records that look like the same person as ``candidate`` (stored values by field).

    Customer records ask through this port; the rules live in matching, wired at start-up.
    Must run inside the caller's unit of work.
    """

    def __call__(
        self,
        candidate: Mapping[str, str],
        *,
        uow: CustomerUnitOfWork,
        policy: Policy,
        exclude: str | None = None,
        limit: int = 10,
    ) -> list[LikelyDuplicate]: ...


class CustomerUnitOfWork(UnitOfWork, Protocol):
    customers: CustomerRepository
    history: HistoryRepository
    duplicates: DuplicateRepository
    idempotency: IdempotencyRepository
    audit: AuditLog
    key_outbox: KeyOutbox


class CallerCheck(Protocol):
    """Proves that the caller asking for a change is the customer (or acts for them), for
    these fields, now; the id of the verification it rests on, to record with the change.

    Called by a correction on behalf of the customer inside its unit of work, after the
    customer is locked and the changed fields are known; raises a ``PermissionDenied`` (in
    practice verification's ``NotVerified``) when it cannot. Verification provides it, so
    customer records never import verification.
    """

    def __call__(
        self, uow: CustomerUnitOfWork, customer_id: str, fields: frozenset[str], now: datetime, /
    ) -> str: ...
