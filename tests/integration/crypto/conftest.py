"""A migrated, empty key store on SQLite and on PostgreSQL (its own schema per test)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from clientkeep.adapters.crypto import migrate
from clientkeep.adapters.crypto.keystore import KeyStore, make_keystore_engine
from clientkeep.adapters.crypto.master_keys import MasterKeyRing
from tests.conftest import POSTGRES_URL, unavailable


def _postgres_engine() -> Iterator[Engine]:
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    schema = f"ks_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # any failure to reach the server
        admin.dispose()
        unavailable(f"PostgreSQL unreachable at {POSTGRES_URL}: {type(exc).__name__}")
    engine = make_keystore_engine(POSTGRES_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def keystore_engine(backend: str, tmp_path: Path) -> Iterator[Engine]:
    """On the backend under test (``--backend``), like every storage test."""
    if backend == "postgres":
        yield from _postgres_engine()
        return
    engine = make_keystore_engine(f"sqlite:///{tmp_path / 'keystore.db'}")
    yield engine
    engine.dispose()


@pytest.fixture
def ring() -> MasterKeyRing:
    return MasterKeyRing({1: os.urandom(32)})


@pytest.fixture
def make_store(keystore_engine: Engine) -> Callable[[MasterKeyRing], KeyStore]:
    """Key stores over one migrated database; each call may bring a different ring."""
    migrate.upgrade(keystore_engine)
    return lambda ring: KeyStore(keystore_engine, ring)


@pytest.fixture
def store(make_store: Callable[[MasterKeyRing], KeyStore], ring: MasterKeyRing) -> KeyStore:
    return make_store(ring)
