"""Helpers for the stored-trail tests: append events, change rows behind clientkeep's back."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select

from clientkeep.adapters.crypto.checkpoints import CheckpointStore
from clientkeep.adapters.db.tables import audit_chain
from clientkeep.audit import services as audit
from clientkeep.audit.model import AuditEntry, VerifyResult


def entry(action: str = "test.event", **kwargs) -> AuditEntry:
    values = dict(actor_id="test", actor_role="system", credential="test", fields=("email",))
    return AuditEntry(action=action, **{**values, **kwargs})


def append(container, n: int, **kwargs) -> None:
    """``n`` events in one committed unit."""
    with container.uow() as uow:
        for i in range(n):
            uow.audit.append(entry(detail={"i": i}, **kwargs))
        uow.commit()


def verify(container) -> VerifyResult:
    return audit.verify(uow=container.uow())


def exec_sql(container, *statements) -> None:
    with container.engine.begin() as conn:
        for statement in statements:
            conn.execute(statement)


def head_row(container) -> dict:
    with container.engine.connect() as conn:
        return dict(conn.execute(select(audit_chain)).one()._mapping)


def checkpoint_every_append(container, interval: float = 0) -> CheckpointStore:
    """Give the container a checkpoint store that writes as often as ``interval`` allows."""
    store = CheckpointStore(container.keystore.engine, interval=interval)
    container.__dict__["storage_keys"] = replace(container.storage_keys, checkpoints=store)
    return store
