"""No personal value reaches the database in plaintext: canaries are written through every
way a value is stored, then the raw bytes are searched for them in several encodings."""

from __future__ import annotations

import base64
from pathlib import Path

from sqlalchemy import text

from clientkeep.customers import services as customers

CANARIES = {
    "given_name": "Zebedee",
    "family_name": "Quillfeather",
    "email": "canary.quillfeather@example.com",
    "address_line1": "77 Marmalade Mews",
    "town": "Fernchester",
}
NEW_TOWN = "Plumbridge"
REASON = "moved to Plumbridge after the Marmalade flood"


def encodings(value: str) -> list[bytes]:
    raw = value.encode()
    return [
        raw,
        value.lower().encode(),
        value.upper().encode(),
        value.encode("utf-16-le"),
        value.encode("utf-16-be"),
        base64.b64encode(raw),
        raw.hex().encode(),
    ]


def write_canaries(container, personas) -> str:
    made = customers.register(
        customers.RegisterCustomer(purpose="service", fields=CANARIES, source="phone"),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
        duplicates=container.duplicate_finder,
    ).customer
    customers.update(
        made.id,
        customers.UpdateCustomer(
            purpose="service", fields={"town": NEW_TOWN}, reason=REASON, source="internal_records"
        ),
        uow=container.uow(),
        actor=personas.agent.actor,
        policy=container.policy,
        clock=container.clock,
    )
    return made.id


def secrets_to_find() -> list[str]:
    return [*CANARIES.values(), NEW_TOWN, "Marmalade flood"]


def leaks(container, backend) -> list[tuple[str, str]]:
    if backend == "postgres":
        found = []
        with container.engine.connect() as conn:
            tables = (
                conn.execute(
                    text(
                        "select table_name from information_schema.tables "
                        "where table_schema = current_schema()"
                    )
                )
                .scalars()
                .all()
            )
            for table in tables:
                for secret in secrets_to_find():
                    hits = conn.execute(
                        text(f'select count(*) from "{table}" t where t::text ilike :s'),  # noqa: S608
                        {"s": f"%{secret}%"},
                    ).scalar_one()
                    if hits:
                        found.append((table, secret))
        return found
    data_dir = Path(container.settings.data_dir)
    files = [p for p in data_dir.iterdir() if p.is_file() and p.name != "master.key"]
    assert any(p.name.endswith("-wal") for p in files), "expected a WAL file to scan"
    return [
        (p.name, secret)
        for p in files
        for secret in secrets_to_find()
        for form in encodings(secret)
        if form in p.read_bytes()
    ]


def test_no_canary_is_in_the_database_files_or_their_wal(container, personas, backend) -> None:
    write_canaries(container, personas)
    assert leaks(container, backend) == []


def test_the_scan_would_see_a_plaintext_value(container, personas, backend) -> None:
    write_canaries(container, personas)
    with container.engine.begin() as conn:
        conn.execute(text("update staff_user set display_name = :n"), {"n": NEW_TOWN})
    assert NEW_TOWN in {secret for _, secret in leaks(container, backend)}
