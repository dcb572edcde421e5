"""On real storage: a second import of the same rows makes nobody new, the row fingerprint is
kept only as a keyed token, it stays with a record that is corrected, and it goes when the
record is erased."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import func, select

from clientkeep.adapters.db.customer_tables import blind_index, customer
from clientkeep.audit import services as audit
from clientkeep.customers import bulk
from clientkeep.customers import services as customers
from clientkeep.customers.import_fingerprint import FINGERPRINT_KIND, IMPORT_FIELD
from clientkeep.synthetic import generate


def run_import(container, persona, rows, *, batch_size=4):
    seen: list = []
    report = bulk.import_customers(
        bulk.ImportCustomers(purpose="service", batch_size=batch_size),
        rows,
        uow=container.uow,
        actor=persona.actor,
        policy=container.policy,
        clock=container.clock,
        on_rows=seen.extend,
    )
    return report, seen


def rows_of(n, seed=31):
    return [bulk.ImportRow(r.fields, r.explicit_consent) for r in generate(n, seed=seed)]


def live_customers(container) -> int:
    with container.engine.connect() as conn:
        query = select(func.count()).select_from(customer).where(customer.c.merged_into.is_(None))
        return int(conn.execute(query).scalar_one())


def import_tokens(container, customer_id: str) -> list[bytes]:
    with container.engine.connect() as conn:
        query = select(blind_index.c.token).where(
            blind_index.c.customer_id == customer_id, blind_index.c.field == IMPORT_FIELD
        )
        return [bytes(t) for (t,) in conn.execute(query)]


def test_importing_the_same_rows_twice_makes_nobody_new(container, personas) -> None:
    rows = rows_of(10)
    first, made = run_import(container, personas.supervisor, rows)
    assert (first.imported, first.already_imported) == (10, 0)
    second, again = run_import(container, personas.supervisor, rows, batch_size=3)
    assert (second.imported, second.already_imported, second.rejected_count) == (0, 10, 0)
    assert [o.customer_id for o in again] == [o.customer_id for o in made]
    assert live_customers(container) == 10
    assert audit.verify(uow=container.uow()).ok


def test_the_fingerprint_is_a_keyed_token_never_the_values_or_their_plain_hash(
    container, personas
) -> None:
    rows = rows_of(1)
    _, (made,) = run_import(container, personas.supervisor, rows)
    with container.uow() as uow:
        stored = uow.customers.get(made.customer_id)
    assert stored is not None
    values = {n: r.value for n, r in stored.fields.items() if n != "customer_reference"}
    canonical = json.dumps(sorted(values.items()), ensure_ascii=False, separators=(",", ":"))
    (token,) = import_tokens(container, made.customer_id)
    assert token == container.storage_keys.indexer.token(FINGERPRINT_KIND, canonical)
    assert token != hashlib.sha256(canonical.encode()).digest()[: len(token)]
    assert all(v.encode() not in token for v in values.values())


def test_a_corrected_record_is_still_the_customer_its_row_made(container, personas) -> None:
    rows = rows_of(1, seed=8)
    _, (made,) = run_import(container, personas.supervisor, rows)
    customers.update(
        made.customer_id,
        customers.UpdateCustomer(
            purpose="service",
            fields={"town": "Leeds"},
            reason="told us of a move",
            source="internal_records",
        ),
        uow=container.uow(),
        actor=personas.supervisor.actor,
        policy=container.policy,
        clock=container.clock,
    )
    _, (again,) = run_import(container, personas.supervisor, rows)
    assert again == bulk.AlreadyImported(1, made.customer_id)
    assert live_customers(container) == 1


def test_erasing_a_record_takes_its_fingerprint_with_it(container, personas) -> None:
    rows = rows_of(1, seed=9)
    _, (made,) = run_import(container, personas.supervisor, rows)
    with container.uow() as uow:
        for kind in container.record_kinds:
            kind.erase(uow, made.customer_id)
        uow.commit()
    assert import_tokens(container, made.customer_id) == []
    # Nothing remembers the erased customer's row: importing it again is a new customer.
    report, _ = run_import(container, personas.supervisor, rows)
    assert report.imported == 1
