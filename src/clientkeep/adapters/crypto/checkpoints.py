"""Checkpoints of the audit chain's head, kept in the key store's database.

The main database holds the trail and its head; anyone who can write it can delete the newest
events and put back an older head. A checkpoint written here, outside it, records how far the
trail had come, so a trail shorter than its newest checkpoint is found by ``audit verify``.
Rows are only ever added, and a checkpoint older than the newest one is not written.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from clientkeep.adapters.crypto._engine import db_errors
from clientkeep.adapters.crypto.tables import audit_checkpoint

_c = audit_checkpoint.c

# How far behind the trail the newest checkpoint may fall while events are being appended:
# the events of the last few seconds are the most a cut can remove unnoticed.
DEFAULT_INTERVAL = 2.0


@dataclass(frozen=True, slots=True)
class Checkpoint:
    chain: str
    seq: int
    hash: str
    seal: str
    written_at: datetime


class CheckpointStore:
    def __init__(
        self,
        engine: Engine,
        *,
        now: Callable[[], datetime] | None = None,
        interval: float = DEFAULT_INTERVAL,
    ) -> None:
        self._engine = engine
        self._now = now or (lambda: datetime.now(UTC))
        self._interval = interval
        # Monotonic, not the domain clock: a frozen test clock must not stop checkpoints, nor a
        # wall clock set back delay them. Minus infinity: the first append writes one.
        self._written = float("-inf")

    def due(self) -> bool:
        """Whether this process has written no checkpoint for the interval."""
        return time.monotonic() - self._written >= self._interval

    def write(self, chain: str, seq: int, head_hash: str, seal: str) -> bool:
        """Record the head; False (nothing written) if a checkpoint at or past ``seq`` exists.

        Either way the trail is checkpointed this far, so the interval starts again; an error
        leaves it due, so the next append tries again.
        """
        try:
            with db_errors(), self._engine.begin() as conn:
                newest = conn.scalar(select(func.max(_c.seq)).where(_c.chain == chain))
                if newest is not None and newest >= seq:
                    written = False
                else:
                    conn.execute(
                        insert(audit_checkpoint).values(
                            chain=chain, seq=seq, hash=head_hash, seal=seal, written_at=self._now()
                        )
                    )
                    written = True
        except IntegrityError:
            written = False  # another process wrote this very head first
        self._written = time.monotonic()
        return written

    def latest(self, chain: str) -> Checkpoint | None:
        query = select(audit_checkpoint).where(_c.chain == chain).order_by(_c.seq.desc()).limit(1)
        with db_errors(), self._engine.connect() as conn:
            row = conn.execute(query).first()
        if row is None:
            return None
        return Checkpoint(row.chain, int(row.seq), row.hash, row.seal, row.written_at)
