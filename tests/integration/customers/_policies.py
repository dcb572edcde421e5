"""Policies of a test's own, made from the shipped default text, and a container running one.

A test module that needs its own policy overrides the ``container`` fixture with
``container_under``; every fixture built on ``container`` (personas, register, read, the HTTP
client, tokens) then runs under that policy.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select

from clientkeep import bootstrap
from clientkeep.adapters.db.customer_tables import blind_index
from clientkeep.adapters.passwords import Argon2PasswordHasher
from clientkeep.config import Settings
from clientkeep.customers.index_terms import COMPOSITE_KINDS, PAIR_KIND, terms_of
from clientkeep.policy.loader import default_policy_path
from clientkeep.shared.clock import Clock
from tests.conftest import PASSWORD

SHIPPED = default_policy_path().read_text(encoding="utf-8")
# The index fields whose terms are built from several of a record's fields at once.
COMPOSITE_FIELDS = frozenset({*COMPOSITE_KINDS, PAIR_KIND})


def with_default_purpose(text: str, purpose: str) -> str:
    return re.sub(r'^default_purpose = ".*"$', f'default_purpose = "{purpose}"', text, flags=re.M)


def with_purpose(text: str, name: str, *, fields: list[str], one_of: list[list[str]]) -> str:
    """``text`` with one more purpose, which every role acting under purposes may use."""
    text, roles = re.subn(r"^(purposes = \[.+)\]$", rf'\1, "{name}"]', text, flags=re.M)
    assert roles == 3, "the agent, the supervisor and the data protection lead act for purposes"
    return text + "\n".join(
        [
            "",
            f"[purposes.{name}]",
            'description = "A purpose made for a test."',
            'lawful_basis = "contract"',
            f"fields = {json.dumps(fields)}",
            f"one_of = {json.dumps(one_of)}",
            "",
            f"[purposes.{name}.retention]",
            "period_days = 365",
            'trigger = "end_of_relationship"',
            'description = "A year after the relationship ends."',
            "",
        ]
    )


def renamed(text: str, fields: Mapping[str, str], purposes: Mapping[str, str]) -> str:
    """``text`` with fields and purposes renamed wherever the policy names them: their own
    tables, purposes' lists, roles, field roles, verification and staleness. Comments, field
    types and enum choices (which are not field names) and the parts' own keys are kept."""
    names = {**fields, **purposes}
    quoted = re.compile(r'"(' + "|".join(map(re.escape, names)) + r')"')
    header = re.compile(r"\[(fields|purposes)\.([a-z_]+)(\.retention)?\]")
    out: list[str] = []
    section = ""
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        table = header.fullmatch(stripped)
        if table:
            kind, name, rest = table.groups()
            line = f"[{kind}.{names.get(name, name)}{rest or ''}]\n"
        if stripped.startswith("["):
            section = stripped
        elif stripped.startswith(("#", "choices =", "type =", "channels =")):
            pass
        elif section == "[staleness.per_field_days]" and " = " in line:
            key, _, days = line.partition(" = ")
            line = f"{fields.get(key, key)} = {days}"
        else:
            line = quoted.sub(lambda m: f'"{names[m.group(1)]}"', line)
        out.append(line)
    return "".join(out)


def policy_file(directory: Path, text: str) -> Path:
    path = directory / "policy.toml"
    path.write_text(text, encoding="utf-8")
    return path


@contextmanager
def container_under(
    settings: Settings, clock: Clock, policy_path: Path | None
) -> Iterator[bootstrap.Container]:
    """A ready container, as tests/conftest.py builds one, under the policy at ``policy_path``
    (the shipped one if None)."""
    c = bootstrap.build(
        replace(settings, policy_path=policy_path),
        clock=clock,
        hasher=Argon2PasswordHasher(fast_for_tests=True),
    )
    bootstrap.initialise(c, admin_username="root.admin", admin_password=PASSWORD)
    try:
        yield c
    finally:
        c.close()


def stored_terms(
    container: bootstrap.Container, customer_id: str, fields: Iterable[str]
) -> set[tuple[str, str, bytes]]:
    """(index field, kind, token) of the blind-index rows stored for the customer."""
    query = select(blind_index.c.field, blind_index.c.kind, blind_index.c.token).where(
        blind_index.c.customer_id == customer_id, blind_index.c.field.in_(list(fields))
    )
    with container.engine.connect() as conn:
        return {(f, k, bytes(t)) for f, k, t in conn.execute(query)}


def expected_terms(
    container: bootstrap.Container, customer_id: str, fields: Iterable[str]
) -> set[tuple[str, str, bytes]]:
    """The same rows as computed afresh from the record as it now stands."""
    wanted = set(fields)
    with container.uow().reading() as uow:
        record = uow.customers.get(customer_id)
    assert record is not None
    values = {name: r.value for name, r in record.fields.items()}
    indexer = container.storage_keys.indexer
    return {
        (t.field, t.kind, indexer.token(t.kind, t.term))
        for t in terms_of(container.policy, values)
        if t.field in wanted
    }
