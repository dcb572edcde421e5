"""The key store: per-customer data keys and system secrets, wrapped by the master key."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from clientkeep.adapters.crypto._cache import KeyCache
from clientkeep.adapters.crypto._engine import db_errors, make_keystore_engine
from clientkeep.adapters.crypto._rotation import RotationReport, rotate_table
from clientkeep.adapters.crypto.aead import KEY_BYTES
from clientkeep.adapters.crypto.errors import (
    DataKeyDestroyed,
    DataKeyExists,
    DataKeyMissing,
    KeystoreError,
)
from clientkeep.adapters.crypto.master_keys import MasterKeyRing
from clientkeep.adapters.crypto.tables import data_key, key_destruction, keystore_secret

__all__ = [
    "DataKeyDestroyed",
    "DataKeyExists",
    "DataKeyMissing",
    "KeyStore",
    "KeystoreError",
    "RotationReport",
    "make_keystore_engine",
]

_IN_CHUNK = 500
_dk = data_key.c
_destroyed = key_destruction.c
_sec = keystore_secret.c


def _secret_owner(name: str) -> str:
    # A prefix keeps a secret's wrapping apart from a customer whose id happened to match.
    return f"secret:{name}"


class KeyStore:
    def __init__(
        self,
        engine: Engine,
        ring: MasterKeyRing,
        *,
        now: Callable[[], datetime] | None = None,
        cache_size: int = 10_000,
    ) -> None:
        self.engine = engine
        self.ring = ring
        self._now = now or (lambda: datetime.now(UTC))
        self._cache = KeyCache(cache_size)
        self._secrets: dict[str, bytes] = {}

    def close(self) -> None:
        self.engine.dispose()

    def create_data_key(self, customer_id: str) -> bytes:
        return self.create_data_keys([customer_id])[customer_id]

    def create_data_keys(self, customer_ids: list[str]) -> dict[str, bytes]:
        """New keys for many customers in one key-store transaction (bulk registration)."""
        made = {cid: secrets.token_bytes(KEY_BYTES) for cid in customer_ids}
        if len(made) != len(customer_ids):
            raise DataKeyExists(next(c for c in customer_ids if customer_ids.count(c) > 1))
        now = self._now()
        rows = []
        for cid, key in made.items():
            version, blob = self.ring.wrap(key, cid)
            rows.append(
                {
                    "customer_id": cid,
                    "master_version": version,
                    "wrapped_key": blob,
                    "created_at": now,
                }
            )
        try:
            with db_errors(), self.engine.begin() as conn:
                for start in range(0, len(customer_ids), _IN_CHUNK):
                    destroyed = self._was_destroyed(conn, customer_ids[start : start + _IN_CHUNK])
                    if destroyed:
                        raise DataKeyDestroyed(destroyed)
                conn.execute(insert(data_key), rows)
        except IntegrityError:
            raise DataKeyExists(customer_ids[0]) from None
        for cid, key in made.items():
            self._cache.put(cid, key)
        return made

    def data_key(self, customer_id: str) -> bytes:
        cached = self._cache.get(customer_id)
        if cached is not None:
            return cached
        return self.data_keys([customer_id])[customer_id]

    def data_keys(
        self, customer_ids: Iterable[str], *, skip_missing: bool = False
    ) -> dict[str, bytes]:
        """Keys for many customers in few queries; unless skipped, a missing one is an error."""
        found: dict[str, bytes] = {}
        wanted: list[str] = []
        for customer_id in dict.fromkeys(customer_ids):
            cached = self._cache.get(customer_id)
            if cached is None:
                wanted.append(customer_id)
            else:
                found[customer_id] = cached
        if not wanted:
            return found
        with db_errors(), self.engine.connect() as conn:
            for start in range(0, len(wanted), _IN_CHUNK):
                query = select(_dk.customer_id, _dk.master_version, _dk.wrapped_key).where(
                    _dk.customer_id.in_(wanted[start : start + _IN_CHUNK])
                )
                for customer_id, version, blob in conn.execute(query):
                    found[customer_id] = key = self.ring.unwrap(version, blob, customer_id)
                    self._cache.put(customer_id, key)
            absent = [c for c in wanted if c not in found]
            if absent and not skip_missing:
                destroyed = self._was_destroyed(conn, absent[:_IN_CHUNK])
                raise DataKeyDestroyed(destroyed) if destroyed else DataKeyMissing(absent[0])
        return found

    def is_destroyed(self, customer_id: str) -> bool:
        with db_errors(), self.engine.connect() as conn:
            return self._was_destroyed(conn, [customer_id]) is not None

    def destroy(self, customer_id: str) -> None:
        """Crypto-shred: delete the wrapped key and keep evidence that it happened. Idempotent."""
        self._cache.discard(customer_id)
        with db_errors(), self.engine.begin() as conn:
            conn.execute(delete(data_key).where(_dk.customer_id == customer_id))
            if self._was_destroyed(conn, [customer_id]) is None:
                conn.execute(
                    insert(key_destruction).values(
                        customer_id=customer_id, destroyed_at=self._now()
                    )
                )
        if self.engine.dialect.name == "sqlite":
            # Move the delete out of the WAL into the secure-deleted main file. Best effort:
            # a busy reader can hold a checkpoint back, and SQLite then says so, not fails.
            with db_errors(), self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def secret(self, name: str) -> bytes:
        """A 32-byte system secret (blind-index root, session signing), made on first use."""
        value = self._secrets.get(name) or self._read_secret(name) or self._make_secret(name)
        self._secrets[name] = value
        return value

    def _read_secret(self, name: str) -> bytes | None:
        query = select(_sec.master_version, _sec.wrapped_key).where(_sec.name == name)
        with db_errors(), self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else self.ring.unwrap(row[0], row[1], _secret_owner(name))

    def _make_secret(self, name: str) -> bytes:
        value = secrets.token_bytes(KEY_BYTES)
        version, blob = self.ring.wrap(value, _secret_owner(name))
        try:
            with db_errors(), self.engine.begin() as conn:
                conn.execute(
                    insert(keystore_secret).values(
                        name=name, master_version=version, wrapped_key=blob, created_at=self._now()
                    )
                )
        except IntegrityError:
            # Another process made it between our read and insert: theirs is the one.
            made = self._read_secret(name)
            if made is None:
                raise KeystoreError(f"could not create system secret {name!r}") from None
            return made
        return value

    def count_by_version(self) -> dict[int, int]:
        """Data keys per master-key version."""
        return self._counts(_dk.master_version)

    def secret_count_by_version(self) -> dict[int, int]:
        return self._counts(_sec.master_version)

    def destroyed_count(self) -> int:
        with db_errors(), self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(key_destruction)) or 0

    def stale_count(self) -> int:
        """Wrapped keys (data keys and secrets) not yet on the current master version."""
        counts = (self.count_by_version(), self.secret_count_by_version())
        return sum(n for c in counts for v, n in c.items() if v != self.ring.current)

    def rotate(
        self, batch_size: int = 500, progress: Callable[[int, int], None] | None = None
    ) -> RotationReport:
        """Re-wrap every key not on the current master version, one committed batch at a time.

        Rows already on the current version are skipped, so running this again after an
        interruption carries on where it stopped. Data keys themselves never change, so
        nothing sealed under them needs touching (and the cache stays valid).
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        total = self.stale_count()
        done = 0

        def step(n: int) -> None:
            nonlocal done
            done += n
            if progress is not None:
                progress(done, max(total, done))

        with db_errors():
            keys = rotate_table(
                self.engine,
                self.ring,
                data_key,
                _dk.customer_id,
                lambda owner: owner,
                batch_size,
                step,
            )
            made = rotate_table(
                self.engine, self.ring, keystore_secret, _sec.name, _secret_owner, batch_size, step
            )
        return RotationReport(
            self.ring.current, keys, made, self.count_by_version(), self.secret_count_by_version()
        )

    def _counts(self, column: Any) -> dict[int, int]:
        with db_errors(), self.engine.connect() as conn:
            rows = conn.execute(select(column, func.count()).group_by(column))
            return {int(version): int(n) for version, n in rows}

    @staticmethod
    def _was_destroyed(conn: Any, customer_ids: list[str]) -> str | None:
        query = select(_destroyed.customer_id).where(_destroyed.customer_id.in_(customer_ids))
        found: str | None = conn.scalar(query.limit(1))
        return found
