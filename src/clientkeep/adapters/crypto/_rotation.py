"""Re-wrapping one table of wrapped keys under the current master version, batch by batch."""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
    key_columns: Sequence[Any],
    owner_of: Callable[..., str],
    batch_size: int,
    step: Callable[[int], None],
) -> int:
    """``key_columns`` name a row (a customer and key version, a secret's name); ``owner_of``
    takes their values and gives the owner the key is wrapped for."""
    target = ring.current
    rewrapped = 0
    width = len(key_columns)
    while True:
        # Each batch is its own transaction: an interruption loses at most one batch of work,
        # and the next run's query simply no longer sees the rows already moved.
        with engine.begin() as conn:
            rows = conn.execute(
                select(*key_columns, table.c.master_version, table.c.wrapped_key)
                .where(table.c.master_version != target)
                .order_by(*key_columns)
                .limit(batch_size)
            ).all()
            if not rows:
                return rewrapped
            for row in rows:
                names, version, blob = tuple(row[:width]), row[width], row[width + 1]
                owner = owner_of(*names)
                new_version, new_blob = ring.wrap(ring.unwrap(version, blob, owner), owner)
                # Matching the old version too means a row changed meanwhile is left alone.
                result = conn.execute(
                    update(table)
                    .where(
                        *(c == v for c, v in zip(key_columns, names, strict=True)),
                        table.c.master_version == version,
                    )
                    .values(master_version=new_version, wrapped_key=new_blob)
                )
                rewrapped += result.rowcount
        step(len(rows))
