"""The key store: per-customer data keys and system secrets, wrapped by the master key.

A customer may hold several versions of their data key (a partial erasure re-seals what it
keeps under a new version, then destroys the old); values are sealed under the newest.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, bindparam, func, insert, select
from sqlalchemy.exc import IntegrityError

from clientkeep.adapters.crypto import _versions
from clientkeep.adapters.crypto._cache import KeyCache
from clientkeep.adapters.crypto._engine import db_errors, make_keystore_engine
from clientkeep.adapters.crypto._rotation import RotationReport, rotate_table
from clientkeep.adapters.crypto._versions import destroyed_among, key_owner
from clientkeep.adapters.crypto.aead import KEY_BYTES, CustomerKeys
from clientkeep.adapters.crypto.errors import (
    DataKeyDestroyed,
    DataKeyExists,
    DataKeyMissing,
    KeystoreError,
    NewestKeyVersion,
)
from clientkeep.adapters.crypto.master_keys import MasterKeyRing
from clientkeep.adapters.crypto.tables import data_key, key_destruction, keystore_secret

__all__ = [
    "DataKeyDestroyed",
    "DataKeyExists",
    "DataKeyMissing",
    "KeyStore",
    "KeystoreError",
    "NewestKeyVersion",
    "RotationReport",
    "make_keystore_engine",
]

_IN_CHUNK = 500
_dk = data_key.c
_sec = keystore_secret.c
# Every version of each customer asked for: still one query per chunk of customers.
_KEYS_OF = select(_dk.customer_id, _dk.version, _dk.master_version, _dk.wrapped_key).where(
    _dk.customer_id.in_(bindparam("ids", expanding=True))
)


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
        self._cache: KeyCache[CustomerKeys] = KeyCache(cache_size)
        self._secrets: dict[str, bytes] = {}
        self._reload = self._reload_keys  # one bound method, shared by every CustomerKeys

    def close(self) -> None:
        self.engine.dispose()

    def create_data_key(self, customer_id: str) -> bytes:
        return self.create_data_keys([customer_id])[customer_id]

    def create_data_keys(self, customer_ids: list[str]) -> dict[str, bytes]:
        """New keys (version 1) for many customers in one key-store transaction."""
        made = {cid: secrets.token_bytes(KEY_BYTES) for cid in customer_ids}
        if len(made) != len(customer_ids):
            raise DataKeyExists(next(c for c in customer_ids if customer_ids.count(c) > 1))
        now = self._now()
        rows = []
        for cid, key in made.items():
            master, blob = self.ring.wrap(key, key_owner(cid, 1))
            rows.append(
                {
                    "customer_id": cid,
                    "version": 1,
                    "master_version": master,
                    "wrapped_key": blob,
                    "created_at": now,
                }
            )
        try:
            with db_errors(), self.engine.begin() as conn:
                for start in range(0, len(customer_ids), _IN_CHUNK):
                    chunk = customer_ids[start : start + _IN_CHUNK]
                    destroyed = destroyed_among(conn, chunk)
                    if destroyed:
                        raise DataKeyDestroyed(destroyed)
                    # Not only version 1: a customer whose first version was destroyed (a
                    # partial erasure) still has a key, and must not be given a new first one.
                    held = conn.scalar(select(_dk.customer_id).where(_dk.customer_id.in_(chunk)))
                    if held is not None:
                        raise DataKeyExists(held)
                conn.execute(insert(data_key), rows)
        except IntegrityError:
            raise DataKeyExists(customer_ids[0]) from None
        for cid, key in made.items():
            self._cache.put(cid, CustomerKeys(cid, {1: key}, self._reload))
        return made

    def data_key(self, customer_id: str) -> bytes:
        """The customer's newest key."""
        return self.keys_of(customer_id).newest_key

    def data_keys(
        self, customer_ids: Iterable[str], *, skip_missing: bool = False
    ) -> dict[str, bytes]:
        """The newest key of each customer; unless skipped, a missing one is an error."""
        found = self.customer_keys(customer_ids, skip_missing=skip_missing)
        return {cid: keys.newest_key for cid, keys in found.items()}

    def keys_of(self, customer_id: str) -> CustomerKeys:
        cached = self._cache.get(customer_id)
        if cached is not None:
            return cached
        return self.customer_keys([customer_id])[customer_id]

    def customer_keys(
        self, customer_ids: Iterable[str], *, skip_missing: bool = False
    ) -> dict[str, CustomerKeys]:
        """Every version of many customers' keys, in one query per 500 not already cached."""
        found, wanted = self._cache.get_many(customer_ids)
        if not wanted:
            return found
        with db_errors(), self.engine.connect() as conn:
            for start in range(0, len(wanted), _IN_CHUNK):
                held: dict[str, dict[int, bytes]] = {}
                rows = conn.execute(_KEYS_OF, {"ids": wanted[start : start + _IN_CHUNK]})
                for cid, version, master, blob in rows:
                    owner = key_owner(cid, version)
                    held.setdefault(cid, {})[version] = self.ring.unwrap(master, blob, owner)
                for cid, versions in held.items():
                    found[cid] = keys = CustomerKeys(cid, versions, self._reload)
                    self._cache.put(cid, keys)
            absent = [c for c in wanted if c not in found]
            if absent and not skip_missing:
                destroyed = destroyed_among(conn, absent[:_IN_CHUNK])
                raise DataKeyDestroyed(destroyed) if destroyed else DataKeyMissing(absent[0])
        return found

    def _reload_keys(self, customer_id: str) -> CustomerKeys | None:
        self._cache.discard(customer_id)
        return self.customer_keys([customer_id], skip_missing=True).get(customer_id)

    def versions(self, customer_id: str) -> list[int]:
        """The versions of the customer's key that still exist, oldest first (never cached)."""
        query = select(_dk.version).where(_dk.customer_id == customer_id).order_by(_dk.version)
        with db_errors(), self.engine.connect() as conn:
            return [int(v) for v in conn.scalars(query)]

    def add_version(self, customer_id: str) -> int:
        """A new newest version of the customer's key; what is sealed from now on uses it.

        Other processes may go on sealing under the previous version until their cached keys
        expire (a minute at most), so destroy the old version only when nothing uses it.
        """
        key = secrets.token_bytes(KEY_BYTES)
        for _ in range(3):  # two processes adding a version at once: one of them tries again
            try:
                with db_errors(), self.engine.begin() as conn:
                    version = _versions.next_version(conn, customer_id)
                    master, blob = self.ring.wrap(key, key_owner(customer_id, version))
                    conn.execute(
                        insert(data_key).values(
                            customer_id=customer_id,
                            version=version,
                            master_version=master,
                            wrapped_key=blob,
                            created_at=self._now(),
                        )
                    )
            except IntegrityError:
                continue
            self._cache.discard(customer_id)
            return version
        raise KeystoreError(f"could not add a data key version for customer {customer_id}")

    def is_destroyed(self, customer_id: str) -> bool:
        with db_errors(), self.engine.connect() as conn:
            return destroyed_among(conn, [customer_id]) is not None

    def destroy(self, customer_id: str, version: int | None = None) -> None:
        """Crypto-shred one version, or (None) every version of the customer's key, keeping
        evidence that it happened. Idempotent. Destroying every version also keeps the
        customer from ever being given a key again."""
        self._cache.discard(customer_id)
        for attempt in range(2):
            try:
                with db_errors(), self.engine.begin() as conn:
                    if version is None:
                        _versions.destroy_all(conn, customer_id, self._now())
                    else:
                        _versions.destroy_version(conn, customer_id, version, self._now())
                break
            except IntegrityError:
                if attempt:  # the evidence another process wrote is found the second time
                    raise
        self._cache.discard(customer_id)  # in case a read filled it while this ran
        if self.engine.dialect.name == "sqlite":
            # Move the delete out of the WAL into the secure-deleted main file. Best effort:
            # a busy reader can hold a checkpoint back, and SQLite then says so, not fails.
            with db_errors(), self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def keyed_before(self, cutoff: datetime, *, after: str | None, limit: int) -> list[str]:
        """Customers whose every key version was made before ``cutoff``, a page in id order."""
        query = select(_dk.customer_id).group_by(_dk.customer_id)
        if after is not None:
            query = query.where(_dk.customer_id > after)
        query = query.having(func.max(_dk.created_at) < cutoff).order_by(_dk.customer_id)
        with db_errors(), self.engine.connect() as conn:
            return list(conn.scalars(query.limit(limit)))

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
        """Data keys (every version of every customer's) per master-key version."""
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
                (_dk.customer_id, _dk.version),
                key_owner,
                batch_size,
                step,
            )
            made = rotate_table(
                self.engine,
                self.ring,
                keystore_secret,
                (_sec.name,),
                _secret_owner,
                batch_size,
                step,
            )
        return RotationReport(
            self.ring.current, keys, made, self.count_by_version(), self.secret_count_by_version()
        )

    def _counts(self, column: Any) -> dict[int, int]:
        with db_errors(), self.engine.connect() as conn:
            rows = conn.execute(select(column, func.count()).group_by(column))
            return {int(version): int(n) for version, n in rows}
