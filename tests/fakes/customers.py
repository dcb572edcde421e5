"""Customer records, history, duplicate suspects, idempotency keys and the key outbox in memory.

Index terms are kept as the plain (kind, term) pairs: the fakes seal and hash nothing."""

from __future__ import annotations

import functools
import hashlib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from clientkeep.customers.import_fingerprint import IMPORT_FIELD
from clientkeep.customers.model import Change, Customer, FieldRecord
from clientkeep.customers.ports import (
    DuplicateSuspect,
    IndexTerm,
    ListedRow,
    ListPosition,
    ListSpec,
)
from clientkeep.shared.key_outbox import check_reason
from tests.fakes._store import FakeStore


@dataclass(frozen=True, slots=True)
class KeyDestruction:
    customer_id: str
    version: int | None
    reason: str


class FakeKeyOutbox(FakeStore):
    """Requests are kept with the unit: a rolled-back change leaves none."""

    STATE = ("requests",)

    def __init__(self) -> None:
        self.requests: list[KeyDestruction] = []

    def destroy_after_commit(
        self, customer_id: str, *, version: int | None = None, reason: str
    ) -> None:
        self._write("destroy_after_commit")
        self.requests.append(KeyDestruction(customer_id, version, check_reason(reason)))


class FakeCustomerRepository(FakeStore):
    """Values in the clear and index terms as plain (kind, term) pairs: no keys, no hashing."""

    STATE = ("rows", "terms")

    def __init__(self, key_outbox: FakeKeyOutbox | None = None) -> None:
        self.rows: dict[str, Customer] = {}
        self.terms: dict[str, set[IndexTerm]] = {}
        # Every lock asked for, in order; a record of calls, not stored state.
        self.locked: list[tuple[str, ...]] = []
        # Set by the duplicate store built on this one: a list asks who is suspected.
        self.suspected: Callable[[], set[str]] = set
        self.key_outbox = key_outbox if key_outbox is not None else FakeKeyOutbox()

    def _live(self, customer_id: str) -> Customer:
        found = self.rows.get(customer_id)
        if found is None or found.merged_into is not None:
            raise LookupError(f"no live customer {customer_id} to write to")
        return found

    def _is_live(self, customer_id: str) -> bool:
        found = self.rows.get(customer_id)
        return found is not None and found.merged_into is None

    def lock(self, customer_ids: Sequence[str]) -> None:
        self._write("lock")  # SELECT ... FOR UPDATE: refused in a read-only transaction
        self.locked.append(tuple(customer_ids))

    def add(self, customer: Customer, terms: Iterable[IndexTerm]) -> None:
        self.add_many([(customer, terms)])

    def add_many(self, customers: Sequence[tuple[Customer, Iterable[IndexTerm]]]) -> None:
        self._write("add_many")
        for customer, terms in customers:
            if customer.id in self.rows:
                raise ValueError(f"customer {customer.id} is already stored")
            self.rows[customer.id] = replace(customer, fields=dict(customer.fields))
            self.terms[customer.id] = set(terms)

    def get(self, customer_id: str) -> Customer | None:
        found = self.rows.get(customer_id)
        return None if found is None else replace(found, fields=dict(found.fields))

    def get_many(
        self, customer_ids: Sequence[str], *, fields: Collection[str] | None = None
    ) -> list[Customer]:
        return [
            replace(
                c,
                fields={n: r for n, r in c.fields.items() if fields is None or n in fields},
            )
            for c in (self.rows[i] for i in dict.fromkeys(customer_ids) if self._is_live(i))
        ]

    def set_fields(
        self, customer_id: str, records: Mapping[str, FieldRecord], at: datetime
    ) -> None:
        self._write("set_fields")
        customer = self._live(customer_id)
        fields = {**customer.fields, **records}
        self.rows[customer_id] = replace(customer, fields=fields, updated_at=at)

    def remove_fields(self, customer_id: str, names: Iterable[str], at: datetime) -> None:
        self._write("remove_fields")
        customer = self._live(customer_id)
        gone = set(names)
        fields = {n: r for n, r in customer.fields.items() if n not in gone}
        self.rows[customer_id] = replace(customer, fields=fields, updated_at=at)

    def replace_terms(
        self, customer_id: str, fields: Iterable[str], terms: Iterable[IndexTerm]
    ) -> None:
        self._write("replace_terms")
        touched = set(fields)
        kept = {t for t in self.terms.get(customer_id, set()) if t.field not in touched}
        self.terms[customer_id] = kept | set(terms)

    def live_ids(self, *, after: str | None, limit: int) -> list[str]:
        ids = sorted(i for i in self.rows if self._is_live(i) and (after is None or i > after))
        return ids[:limit]

    def replace_all_terms(self, customer_id: str, terms: Iterable[IndexTerm]) -> None:
        self._write("replace_all_terms")
        marks = {t for t in self.terms.get(customer_id, set()) if t.field == IMPORT_FIELD}
        self.terms[customer_id] = marks | set(terms)

    def move_terms(self, from_id: str, to_id: str, fields: Iterable[str]) -> None:
        self._write("move_terms")
        chosen = set(fields)
        moving = {t for t in self.terms.get(from_id, set()) if t.field in chosen}
        self.terms[from_id] = self.terms.get(from_id, set()) - moving
        self.terms[to_id] = self.terms.get(to_id, set()) | moving

    def find_by_terms(self, terms: Iterable[tuple[str, str]], *, limit: int = 500) -> list[str]:
        wanted = set(terms)
        hits = {
            customer_id: len({(t.kind, t.term) for t in held} & wanted)
            for customer_id, held in self.terms.items()
            if self._is_live(customer_id)
        }
        ranked = sorted((-n, customer_id) for customer_id, n in hits.items() if n)
        return [customer_id for _, customer_id in ranked[:limit]]

    def mark_merged(self, customer_id: str, survivor_id: str, at: datetime) -> None:
        self._write("mark_merged")
        customer = self._live(customer_id)
        self.rows[customer_id] = replace(
            customer, fields={}, merged_into=survivor_id, updated_at=at
        )
        self.terms.pop(customer_id, None)
        self.key_outbox.destroy_after_commit(customer_id, reason="merged")

    def stale_candidates(self, cutoffs: Mapping[str, datetime], *, limit: int) -> list[str]:
        return [customer_id for _, customer_id in self._stale_by_age(cutoffs)[:limit]]

    def _stale_by_age(self, cutoffs: Mapping[str, datetime]) -> list[tuple[datetime, str]]:
        oldest = []
        for customer in self.rows.values():
            stale = [
                r.last_confirmed
                for n, r in customer.fields.items()
                if n in cutoffs and r.last_confirmed < cutoffs[n]
            ]
            if stale:
                oldest.append((min(stale), customer.id))
        return sorted(oldest)

    def count_stale(self, cutoffs: Mapping[str, datetime]) -> int:
        return len(self._stale_by_age(cutoffs))

    def _stale_of(self, customer: Customer, cutoffs: Mapping[str, datetime]) -> frozenset[str]:
        return frozenset(
            n for n, r in customer.fields.items() if n in cutoffs and r.last_confirmed < cutoffs[n]
        )

    def stale_fields(
        self, customer_ids: Collection[str], cutoffs: Mapping[str, datetime]
    ) -> dict[str, frozenset[str]]:
        found = {
            i: self._stale_of(self.rows[i], cutoffs) for i in set(customer_ids) if i in self.rows
        }
        return {i: names for i, names in found.items() if names}

    def list_live(
        self, spec: ListSpec, *, start: ListPosition | None, backwards: bool, limit: int
    ) -> list[ListedRow]:
        """Sorts the whole book in Python: the order the SQL walk must agree with."""
        suspected = self.suspected()

        def needs_review(c: Customer) -> bool:
            return bool(self._stale_of(c, spec.cutoffs)) or c.id in suspected

        def within(c: Customer) -> bool:
            return (
                (not spec.needs_review_only or needs_review(c))
                and (not spec.stale_only or bool(self._stale_of(c, spec.cutoffs)))
                and (spec.created_from is None or c.created_at >= spec.created_from)
                and (spec.created_until is None or c.created_at < spec.created_until)
                and (spec.updated_from is None or c.updated_at >= spec.updated_from)
                and (spec.updated_until is None or c.updated_at < spec.updated_until)
            )

        rows = [
            ListedRow(
                c.id,
                c.created_at,
                c.updated_at,
                0 if not spec.review_first or needs_review(c) else 1,
            )
            for c in self.rows.values()
            if c.merged_into is None and within(c)
        ]
        ordered = sorted(rows, key=lambda r: _place(spec, r))
        if start is not None:
            here = _place(spec, ListedRow(start.customer_id, start.at, start.at, start.group))
            if backwards:
                ordered = [r for r in ordered if _place(spec, r) < here]
            else:
                ordered = [r for r in ordered if _place(spec, r) > here]
        if backwards:
            ordered.reverse()
        return ordered[:limit]

    def erase_fields(self, customer_id: str, names: Iterable[str] | None = None) -> int:
        self._write("erase_fields")
        customer = self.rows.get(customer_id)
        if customer is None:
            return 0
        chosen = set(customer.fields) if names is None else set(names)
        kept = {n: r for n, r in customer.fields.items() if n not in chosen}
        self.rows[customer_id] = replace(customer, fields=kept)
        held = self.terms.get(customer_id, set())
        # As in SQL: erasing everything takes every term; erasing some fields takes only
        # their own terms, the composite ones being rewritten by the caller.
        self.terms[customer_id] = (
            set() if names is None else {t for t in held if t.field not in chosen | {IMPORT_FIELD}}
        )
        return len(customer.fields) - len(kept)


@functools.total_ordering
@dataclass(frozen=True, slots=True)
class _Reversed:
    """A sort key compared the other way round: newest first, the larger id first."""

    key: tuple[datetime, str]

    def __lt__(self, other: _Reversed) -> bool:
        return other.key < self.key


def _place(spec: ListSpec, row: ListedRow) -> tuple[int, tuple[datetime, str] | _Reversed]:
    """Where a row stands in the list: its group, then its key and id in the list's order."""
    at = row.updated_at if spec.key == "updated_at" else row.created_at
    key = (at, row.customer_id)
    return (row.group, _Reversed(key) if spec.descending else key)


class FakeHistoryRepository(FakeStore):
    STATE = ("changes",)

    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, changes: Iterable[Change]) -> None:
        self._write("add")
        new = list(changes)
        ids = {c.id for c in self.changes}
        if any(c.id in ids for c in new) or len({c.id for c in new}) < len(new):
            raise ValueError("a change with that id is already stored")
        self.changes.extend(new)

    def for_customer(self, customer_id: str) -> list[Change]:
        mine = [c for c in self.changes if c.customer_id == customer_id]
        return sorted(mine, key=lambda c: (c.changed_at, c.id))

    def move(self, from_id: str, to_id: str) -> int:
        self._write("move")
        moved = 0
        for i, change in enumerate(self.changes):
            if change.customer_id == from_id:
                self.changes[i] = replace(change, customer_id=to_id)
                moved += 1
        return moved

    def erase(self, customer_id: str, ids: Iterable[str] | None = None) -> int:
        self._write("erase")
        chosen = None if ids is None else set(ids)
        kept = [
            c
            for c in self.changes
            if c.customer_id != customer_id or (chosen is not None and c.id not in chosen)
        ]
        gone = len(self.changes) - len(kept)
        self.changes = kept
        return gone


@dataclass(frozen=True, slots=True)
class Resolution:
    at: datetime
    resolution: str


class FakeDuplicateRepository(FakeStore):
    """Suspects in the order added; shared tokens read from the customers' index terms, each
    term's token being its text in hex."""

    STATE = ("suspects", "resolutions")

    def __init__(self, customers: FakeCustomerRepository) -> None:
        self._customers = customers
        self.suspects: dict[str, DuplicateSuspect] = {}
        self.resolutions: dict[str, Resolution] = {}
        # In SQL a list of customers reads the suspicions table; here it asks this store.
        customers.suspected = lambda: self.suspected_among(customers.rows)

    def add(self, suspect: DuplicateSuspect) -> None:
        self._write("add")
        if suspect.id in self.suspects:
            raise ValueError(f"suspect {suspect.id} is already stored")
        self.suspects[suspect.id] = suspect

    def open(self, *, limit: int) -> list[DuplicateSuspect]:
        return self._waiting()[:limit]

    def _waiting(self) -> list[DuplicateSuspect]:
        waiting = [s for s in self.suspects.values() if s.id not in self.resolutions]
        return sorted(waiting, key=lambda s: (s.detected_at, s.id))

    def count_open(self) -> int:
        return len(self._waiting())

    def suspected_among(self, customer_ids: Collection[str]) -> set[str]:
        wanted = set(customer_ids)
        return {i for s in self._waiting() for i in (s.customer_id, s.other_id) if i in wanted}

    def resolve_for(self, customer_id: str, at: datetime, resolution: str) -> None:
        self._write("resolve_for")
        for s in self.open(limit=len(self.suspects)):
            if customer_id in (s.customer_id, s.other_id):
                self.resolutions[s.id] = Resolution(at, resolution)

    def resolve(self, suspect_id: str, at: datetime, resolution: str) -> bool:
        self._write("resolve")
        if suspect_id not in self.suspects or suspect_id in self.resolutions:
            return False
        self.resolutions[suspect_id] = Resolution(at, resolution)
        return True

    def shared_token_groups(
        self, kind: str, *, after: str | None = None, limit: int = 1000, max_size: int = 50
    ) -> list[tuple[str, int, tuple[str, ...]]]:
        rows: dict[str, list[str]] = defaultdict(list)  # token -> one holder per index row
        for customer_id, held in self._customers.terms.items():
            for t in held:
                if t.kind == kind:
                    rows[t.term.encode().hex()].append(customer_id)
        shared = sorted(
            token for token, holders in rows.items() if len(holders) > 1 and (after or "") < token
        )[:limit]
        groups: list[tuple[str, int, tuple[str, ...]]] = []
        for token in shared:
            members = tuple(sorted(set(rows[token])))
            if len(rows[token]) > max_size:
                groups.append((token, len(rows[token]), ()))
            else:
                groups.append((token, len(members), members if len(members) > 1 else ()))
        return groups

    def known_pairs(self, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        wanted = set(pairs)
        return {
            pair
            for s in self.suspects.values()
            for pair in ((s.customer_id, s.other_id), (s.other_id, s.customer_id))
            if pair in wanted
        }


class FakeIdempotencyRepository(FakeStore):
    STATE = ("keys",)

    def __init__(self) -> None:
        # (actor id, key) -> (fingerprint, customer id)
        self.keys: dict[tuple[str, str], tuple[str, str]] = {}

    def recall(self, actor_id: str, key: str) -> tuple[str, str] | None:
        return self.keys.get((actor_id, key))

    def remember(
        self, actor_id: str, key: str, fingerprint: str, customer_id: str, at: datetime
    ) -> bool:
        self._write("remember")
        if (actor_id, key) in self.keys:
            return False
        self.keys[(actor_id, key)] = (fingerprint, customer_id)
        return True

    def fingerprint(self, canonical_request: str) -> str:
        return hashlib.sha256(b"fake\x00" + canonical_request.encode()).hexdigest()
