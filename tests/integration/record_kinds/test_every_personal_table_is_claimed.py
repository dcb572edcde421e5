"""Duty 9: no table naming a customer can skip the contract. Every table of the main database
with a customer column (customer_id, or a foreign key to customer.id) belongs to exactly one
registered kind or is listed as holding no personal value; every kind with tables is
registered and every registered kind has tables."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from sqlalchemy import Column, ForeignKey, LargeBinary, MetaData, String, Table

from clientkeep.adapters.db import customer_tables, tables  # noqa: F401  (registers tables)
from clientkeep.adapters.db.metadata import metadata
from clientkeep.adapters.db.record_kind_tables import (
    KIND_TABLES,
    NOT_PERSONAL_RECORDS,
    KindTables,
)


def names_a_customer(table: Table) -> bool:
    return "customer_id" in table.c or any(
        fk.target_fullname == "customer.id" for fk in table.foreign_keys
    )


def unclaimed(
    schema: MetaData, kinds: Mapping[str, KindTables], not_personal: Mapping[str, str]
) -> dict[str, str]:
    """{table name: what is wrong} for each table the contract does not cover as it should."""
    claims = Counter(t.name for spec in kinds.values() for t in spec.tables)
    claims.update(list(not_personal))
    problems = {}
    for table in schema.tables.values():
        if names_a_customer(table) and claims[table.name] != 1:
            problems[table.name] = (
                "names a customer but no kind claims it and it is not listed as non-personal"
                if not claims[table.name]
                else f"claimed {claims[table.name]} times"
            )
    for kind, spec in kinds.items():
        for table in spec.tables:
            if "customer_id" not in table.c:
                problems[table.name] = f"a table of {kind} without a customer_id column"
        for name, columns in spec.sealed.items():
            held = {t.name: t for t in spec.tables}.get(name)
            if held is None or not set(columns) <= set(held.c.keys()):
                problems[name] = f"{kind} names sealed columns its tables do not have"
    for name in not_personal:
        if name not in schema.tables:
            problems[name] = "listed as non-personal but no such table"
    return problems


def test_every_table_naming_a_customer_is_claimed_exactly_once() -> None:
    assert unclaimed(metadata, KIND_TABLES, NOT_PERSONAL_RECORDS) == {}


def test_the_kinds_with_tables_are_the_registered_kinds(container) -> None:
    assert set(KIND_TABLES) == set(container.record_kinds.names)


def schema_with(*extra: Table) -> MetaData:
    schema = MetaData()
    for table in metadata.tables.values():
        table.to_metadata(schema)
    for table in extra:
        table.to_metadata(schema)
    return schema


def test_the_check_reports_a_new_table_naming_a_customer() -> None:
    spare = MetaData()
    note = Table(
        "customer_note",
        spare,
        Column("id", String(32), primary_key=True),
        Column("customer_id", String(32), nullable=False),
        Column("body", LargeBinary, nullable=False),
    )
    link = Table(
        "customer_link",
        spare,
        Column("id", String(32), primary_key=True),
        Column("subject", String(32), ForeignKey("customer.id"), nullable=False),
    )
    problems = unclaimed(schema_with(note, link), KIND_TABLES, NOT_PERSONAL_RECORDS)
    assert {"customer_note", "customer_link"} <= set(problems)
    assert "no kind claims it" in problems["customer_note"]


def test_the_check_reports_a_table_claimed_twice_or_a_stale_listing() -> None:
    twice = {
        **KIND_TABLES,
        "second": KindTables(tables=(customer_tables.customer_field,), sealed={}),
    }
    problems = unclaimed(metadata, twice, {**NOT_PERSONAL_RECORDS, "gone_table": "dropped"})
    assert problems["customer_field"] == "claimed 2 times"
    assert "gone_table" in problems
