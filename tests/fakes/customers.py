"""Customer records, history, duplicate suspects, idempotency keys and the key outbox in memory.

Index terms are kept as the plain (kind, term) pairs: the fakes seal and hash nothing."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from clientkeep.customers.model import Change, Customer, FieldRecord
from clientkeep.customers.ports import (
    DuplicateSuspect,
    IndexTerm,
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
        self.terms[customer_id] = set(terms)

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
        oldest = []
        for customer in self.rows.values():
            stale = [
                r.last_confirmed
                for n, r in customer.fields.items()
                if n in cutoffs and r.last_confirmed < cutoffs[n]
            ]
            if stale:
                oldest.append((min(stale), customer.id))
        return [customer_id for _, customer_id in sorted(oldest)[:limit]]

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
            set() if names is None else {t for t in held if t.field not in chosen}
        )
        return len(customer.fields) - len(kept)


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

    def add(self, suspect: DuplicateSuspect) -> None:
        self._write("add")
        if suspect.id in self.suspects:
            raise ValueError(f"suspect {suspect.id} is already stored")
        self.suspects[suspect.id] = suspect

    def open(self, *, limit: int) -> list[DuplicateSuspect]:
        waiting = [s for s in self.suspects.values() if s.id not in self.resolutions]
        return sorted(waiting, key=lambda s: (s.detected_at, s.id))[:limit]

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
