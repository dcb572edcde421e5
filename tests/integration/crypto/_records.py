"""Customers and merges made straight through the repositories, for the key-upkeep tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select

from clientkeep.adapters.crypto.keystore import make_keystore_engine
from clientkeep.adapters.db.tables import key_destruction_request
from clientkeep.customers.model import Customer, FieldRecord, Source
from clientkeep.shared.ids import new_id

EMAIL = "ada@example.org"


def add_customer(container) -> str:
    now = container.clock.now()
    customer_id = new_id("cus")
    fields = {"email": FieldRecord(EMAIL, now, "test", Source.PHONE)}
    with container.uow() as uow:
        uow.customers.add(Customer(customer_id, now, now, fields), [])
        uow.commit()
    return customer_id


def merge(container, duplicate: str, survivor: str) -> None:
    with container.uow() as uow:
        uow.customers.mark_merged(duplicate, survivor, container.clock.now())
        uow.commit()


def email_of(container, customer_id: str) -> str:
    with container.uow() as uow:
        found = uow.customers.get(customer_id)
    assert found is not None
    return found.fields["email"].value


def requests(container) -> list[tuple[str, int | None, str]]:
    r = key_destruction_request.c
    with container.engine.connect() as conn:
        rows = conn.execute(select(r.customer_id, r.key_version, r.reason).order_by(r.id))
        return [tuple(row) for row in rows]


@contextmanager
def key_store_down(container, tmp_path: Path) -> Iterator[None]:
    """The key store cannot be reached (its database is gone) until the block ends."""
    store = container.keystore
    working = store.engine
    store.engine = make_keystore_engine(f"sqlite:///{tmp_path / 'gone' / 'keystore.db'}")
    try:
        yield
    finally:
        store.engine.dispose()
        store.engine = working
