"""What every driver of a registered kind of personal record shares, and the drivers of the
two kinds customer records own. A driver says how the contract suite makes rows of its kind
through the real use cases, reads them back through the kind's own read use case, and what
merging them should leave behind; ``registry.DRIVERS`` lists one per kind.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import select

from clientkeep.adapters.db.customer_tables import blind_index
from clientkeep.customers import services as customers
from clientkeep.customers.kinds import CUSTOMER_FIELD, FIELD_HISTORY
from clientkeep.shared.record_kinds import PackedRow


class Canaries:
    """Unique, unmistakable words to plant in values and then look for where they must not be."""

    def __init__(self) -> None:
        self.words: list[str] = []

    def word(self) -> str:
        # Letters only, so every kind of field (names included) accepts one unchanged.
        body = "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))
        made = "Qz" + body
        self.words.append(made)
        return made


@dataclass(frozen=True)
class Made:
    customer_id: str
    # {field name: the canary words the kind's rows for that field hold}
    canaries: Mapping[str, frozenset[str]]

    @property
    def words(self) -> frozenset[str]:
        return frozenset().union(*self.canaries.values())


@dataclass(frozen=True)
class Returned:
    """What a read use case handed back: per field, the values it showed, and all of it as
    text (so a canary anywhere in the answer, a display name say, is found too)."""

    fields: Mapping[str, frozenset[str]]
    text: str = field(repr=False)


class KindDriver(Protocol):
    kind: str
    # The audit action the kind's read use case records, allowed or denied.
    read_action: str
    # What a merge of two customers asks to take from the duplicate.
    take_from_duplicate: frozenset[str]
    # False for a kind whose rows hold no value of a field (a check that a caller was the
    # customer: what they said is never stored), so it carries no canary and its reads
    # show no field; every other duty holds for it as for the rest.
    holds_values: bool

    def make(self, canaries: Canaries, *, as_duplicate: bool = False) -> Made:
        """A new customer holding rows of this kind, every value carrying a canary."""
        ...

    def read(self, persona: Any, customer_id: str, purpose: str) -> Returned: ...

    def check_merged(
        self,
        survivor_before: list[PackedRow],
        duplicate_before: list[PackedRow],
        survivor_after: list[PackedRow],
    ) -> None:
        """Assert that the survivor now holds what the merge rules say it should."""
        ...

    def stale_derived_rows(self, customer_id: str) -> set[tuple[Any, ...]]:
        """Rows in the kind's derived tables (no sealed value, such as blind-index tokens)
        that the customer's values as they now stand would not produce."""
        ...


def _by_row(packed: list[PackedRow]) -> dict[str, Mapping[str, str | None]]:
    return {p.ref.row_id: p.content for p in packed}


class _CustomerRecords:
    """Shared by the two kinds customer records own: registering and correcting records."""

    def __init__(self, container: Any, personas: Any) -> None:
        self.container = container
        self.personas = personas

    def register(self, canaries: Canaries, *, as_duplicate: bool) -> tuple[str, dict[str, str]]:
        word = canaries.word
        values = {
            "given_name": word(),
            "family_name": word(),
            "email": f"{word().lower()}@example.com",
            "address_line1": f"12 {word()} Street",
            "town": word(),
            "postcode": "SW1A 1AA",
            "date_of_birth": "1985-12-10",
            # Special category: only the service purpose declares it.
            "accessibility_needs": f"needs a {word()} ramp at the door",
        }
        if as_duplicate:
            values["address_line2"] = f"Flat {word()}"  # a value only the duplicate holds
        made = customers.register(
            customers.RegisterCustomer(
                purpose="service",
                fields=values,
                source="phone",
                explicit_consent=frozenset({"accessibility_needs"}),
            ),
            uow=self.container.uow(),
            actor=self.personas.supervisor.actor,
            policy=self.container.policy,
            clock=self.container.clock,
            duplicates=self.container.duplicate_finder,
        ).customer
        return made.id, values

    def update(self, customer_id: str, name: str, value: str, reason: str) -> None:
        customers.update(
            customer_id,
            customers.UpdateCustomer(
                purpose="service",
                fields={name: value},
                reason=reason,
                explicit_consent=frozenset({name})
                if self.container.policy.fields[name].is_special
                else frozenset(),
                source="internal_records",
            ),
            uow=self.container.uow(),
            actor=self.personas.supervisor.actor,
            policy=self.container.policy,
            clock=self.container.clock,
        )


def words_in(text: str, canaries: Canaries) -> frozenset[str]:
    """The canary words in ``text`` (emails are lower-cased when stored, so any case)."""
    return frozenset(w for w in canaries.words if w.casefold() in text.casefold())


def _held(written: Mapping[str, list[str]], canaries: Canaries) -> dict[str, frozenset[str]]:
    found = {name: words_in(" ".join(texts), canaries) for name, texts in written.items()}
    return {name: words for name, words in found.items() if words}


class CustomerFieldDriver(_CustomerRecords):
    kind = CUSTOMER_FIELD
    read_action = "customer.read"
    take_from_duplicate = frozenset({"town"})
    holds_values = True

    def make(self, canaries: Canaries, *, as_duplicate: bool = False) -> Made:
        customer_id, values = self.register(canaries, as_duplicate=as_duplicate)
        return Made(customer_id, _held({n: [v] for n, v in values.items()}, canaries))

    def read(self, persona: Any, customer_id: str, purpose: str) -> Returned:
        view = customers.read(
            customer_id,
            purpose=purpose,
            uow=self.container.uow(),
            actor=persona.actor,
            policy=self.container.policy,
            clock=self.container.clock,
        )
        shown = {n: frozenset({f.value, f.display}) for n, f in view.fields.items()}
        return Returned(shown, repr(view))

    def check_merged(
        self,
        survivor_before: list[PackedRow],
        duplicate_before: list[PackedRow],
        survivor_after: list[PackedRow],
    ) -> None:
        # The survivor keeps its values and its own reference, takes what it was told to
        # take, and gains what only the duplicate held.
        reference = self.container.policy.field_roles.reference
        expected = {n: c["value"] for n, c in _by_row(survivor_before).items()}
        for name, content in _by_row(duplicate_before).items():
            if name != reference and (name in self.take_from_duplicate or name not in expected):
                expected[name] = content["value"]
        after = {n: c["value"] for n, c in _by_row(survivor_after).items()}
        assert after == expected

    def stale_derived_rows(self, customer_id: str) -> set[tuple[Any, ...]]:
        container = self.container
        with container.uow().reading() as uow:
            record = uow.customers.get(customer_id)
            held = {} if record is None else {n: r.value for n, r in record.fields.items()}
        indexer = container.storage_keys.indexer
        expected = {
            (t.field, t.kind, indexer.token(t.kind, t.term))
            for t in customers.index_terms_for(container.policy, held)
        }
        with container.engine.connect() as conn:
            rows = conn.execute(
                select(blind_index.c.field, blind_index.c.kind, blind_index.c.token).where(
                    blind_index.c.customer_id == customer_id
                )
            ).all()
        return {(f, k, bytes(t)) for f, k, t in rows} - expected


# Fields the history driver corrects after registering, and the shape of each new value.
CORRECTIONS = {
    "town": "{}",
    "address_line1": "{} Lane",
    "accessibility_needs": "uses a {} hearing loop",  # special category: service only
}


class FieldHistoryDriver(_CustomerRecords):
    kind = FIELD_HISTORY
    read_action = "customer.history_read"
    take_from_duplicate: frozenset[str] = frozenset()
    holds_values = True

    def make(self, canaries: Canaries, *, as_duplicate: bool = False) -> Made:
        customer_id, values = self.register(canaries, as_duplicate=as_duplicate)
        # Registration writes one "collected" entry per field; each correction adds one with
        # the old value, the new one and a reason, all carrying canaries. One field at a
        # time, so each reason is in the history of one field only.
        written = {name: [value] for name, value in values.items()}
        for name, new in CORRECTIONS.items():
            value, reason = new.format(canaries.word()), f"told us of the {canaries.word()} move"
            self.update(customer_id, name, value, reason)
            written[name] += [value, reason]
        return Made(customer_id, _held(written, canaries))

    def read(self, persona: Any, customer_id: str, purpose: str) -> Returned:
        changes = customers.history(
            customer_id,
            purpose=purpose,
            uow=self.container.uow(),
            actor=persona.actor,
            policy=self.container.policy,
        )
        shown: dict[str, set[str]] = {}
        for c in changes:
            shown.setdefault(c.field, set()).update(
                v for v in (c.old_value, c.new_value, c.reason) if v is not None
            )
        return Returned({n: frozenset(v) for n, v in shown.items()}, repr(changes))

    def check_merged(
        self,
        survivor_before: list[PackedRow],
        duplicate_before: list[PackedRow],
        survivor_after: list[PackedRow],
    ) -> None:
        # History moves whole: every entry of both, unchanged, and only merge notes besides.
        after = _by_row(survivor_after)
        for row_id, content in (_by_row(survivor_before) | _by_row(duplicate_before)).items():
            assert after.get(row_id) == content, row_id
        added = set(after) - {p.ref.row_id for p in survivor_before + duplicate_before}
        assert {after[r]["kind"] for r in added} <= {"merged"}

    def stale_derived_rows(self, customer_id: str) -> set[tuple[Any, ...]]:
        return set()  # history keeps no derived rows
