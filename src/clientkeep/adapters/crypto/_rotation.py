"""Re-wrapping one table of wrapped keys under the current master version, batch by batch."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, Table, select, update

from clientkeep.adapters.crypto.master_keys import MasterKeyRing


@dataclass(frozen=True)
class RotationReport:
    target_version: int
    data_keys_rewrapped: int
    secrets_rewrapped: int
    data_keys_by_version: dict[int, int]
    secrets_by_version: dict[int, int]


def rotate_table(
    engine: Engine,
    ring: MasterKeyRing,
    table: Table,
    owner_column: Any,
    owner_of: Callable[[str], str],
    batch_size: int,
    step: Callable[[int], None],
) -> int:
    target = ring.current
    rewrapped = 0
    while True:
        # Each batch is its own transaction: an interruption loses at most one batch of work,
        # and the next run's query simply no longer sees the rows already moved.
        with engine.begin() as conn:
            rows = conn.execute(
                select(owner_column, table.c.master_version, table.c.wrapped_key)
                .where(table.c.master_version != target)
                .order_by(owner_column)
                .limit(batch_size)
            ).all()
            if not rows:
                return rewrapped
            for owner, version, blob in rows:
                key = ring.unwrap(version, blob, owner_of(owner))
                new_version, new_blob = ring.wrap(key, owner_of(owner))
                # Matching the old version too means a row changed meanwhile is left alone.
                result = conn.execute(
                    update(table)
                    .where(owner_column == owner, table.c.master_version == version)
                    .values(master_version=new_version, wrapped_key=new_blob)
                )
                rewrapped += result.rowcount
        step(len(rows))
