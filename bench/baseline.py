"""The plain baseline: the same customers and operations on ordinary SQLAlchemy tables.

No encryption, no blind index, no audit trail: values sit in plaintext columns with ordinary
indexes, the way a customer table is often built. Rows are validated and normalised by the
same `collect` as clientkeep, so the comparison isolates what privacy costs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from sqlalchemy import Column, Index, MetaData, String, Table, create_engine, select
from sqlalchemy.engine import Engine

from clientkeep.customers import values
from clientkeep.customers._collect import collect, require_complete
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import InvalidInput, PermissionDenied

FIELDS = (
    "given_name",
    "family_name",
    "preferred_name",
    "email",
    "phone",
    "address_line1",
    "town",
    "postcode",
    "date_of_birth",
    "preferred_contact",
    "accessibility_needs",
)
SUMMARY = ("id", "given_name", "family_name", "postcode")

metadata = MetaData()
plain_customer = Table(
    "plain_customer",
    metadata,
    Column("id", String(32), primary_key=True),
    *(Column(name, String(1000), nullable=True) for name in FIELDS),
    # What a plain system keeps to find a name by its sound.
    Column("given_sound", String(32), nullable=True),
    Column("family_sound", String(32), nullable=True),
    Index("ix_plain_email", "email"),
    Index("ix_plain_phone", "phone"),
    Index("ix_plain_postcode", "postcode"),
    Index("ix_plain_family_sound", "family_sound"),
    Index("ix_plain_given_sound", "given_sound"),
)


def open_baseline(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
    metadata.create_all(engine)
    return engine


def _sound(name: str | None) -> str | None:
    tokens = values.name_tokens(name or "")
    return values.phonetic(tokens[0]) if tokens else None


def load(
    engine: Engine,
    rows: Iterable[tuple[dict[str, str], frozenset[str]]],
    *,
    policy: Policy,
    actor: Actor,
    batch_size: int = 1_000,
) -> list[str | None]:
    """Validate and insert every row; the id per row (None where it was refused)."""
    purpose = policy.purposes["service"]
    today = datetime.now(UTC).date()
    ids: list[str | None] = []
    position = 0
    for batch in _batches(rows, batch_size):
        records: list[dict[str, Any]] = []
        for fields, consent in batch:
            position += 1
            try:
                collected = collect(
                    policy, actor, purpose, fields, explicit_consent=consent, today=today
                )
                require_complete(purpose, set(collected.values))
            except (InvalidInput, PermissionDenied):
                ids.append(None)
                continue
            record: dict[str, Any] = {name: collected.values.get(name) for name in FIELDS}
            if record["postcode"]:
                record["postcode"] = record["postcode"].replace(" ", "")
            if record["email"]:
                record["email"] = record["email"].casefold()
            record["id"] = f"p{position:09d}"
            record["given_sound"] = _sound(record["given_name"])
            record["family_sound"] = _sound(record["family_name"])
            records.append(record)
            ids.append(record["id"])
        with engine.begin() as conn:
            conn.execute(plain_customer.insert(), records)
    return ids


def find_exact(engine: Engine, kind: str, text: str) -> list[dict[str, Any]]:
    """Exact lookup on a plaintext column, normalised like clientkeep's query."""
    (_, term), *_ = values.query_terms(kind, text)
    column = plain_customer.c[kind]
    query = select(*(plain_customer.c[n] for n in SUMMARY)).where(column == term).limit(10)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]


def find_name(engine: Engine, text: str, limit: int = 10) -> list[tuple[float, str]]:
    """Candidates sharing a name's sound, ranked by similarity: a plain system's fuzzy search."""
    tokens = values.name_tokens(text)
    sounds = list({values.phonetic(t) for t in tokens})
    query = (
        select(plain_customer.c.id, plain_customer.c.given_name, plain_customer.c.family_name)
        .where(plain_customer.c.family_sound.in_(sounds) | plain_customer.c.given_sound.in_(sounds))
        .limit(2_000)
    )
    wanted = " ".join(tokens)
    with engine.connect() as conn:
        scored = [
            (fuzz.token_sort_ratio(wanted, f"{r.given_name} {r.family_name}".casefold()), r.id)
            for r in conn.execute(query)
        ]
    return sorted(scored, reverse=True)[:limit]


def read_one(engine: Engine, customer_id: str, fields: Sequence[str]) -> dict[str, Any] | None:
    query = select(*(plain_customer.c[n] for n in fields)).where(plain_customer.c.id == customer_id)
    with engine.connect() as conn:
        row = conn.execute(query).first()
    return None if row is None else dict(row._mapping)


def _batches(
    rows: Iterable[tuple[dict[str, str], frozenset[str]]], size: int
) -> Iterator[list[tuple[dict[str, str], frozenset[str]]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch
