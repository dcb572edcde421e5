"""Making and opening the key store from settings: the functions bootstrap and the CLI call."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, make_url

from clientkeep.adapters.crypto import migrate
from clientkeep.adapters.crypto._engine import make_keystore_engine
from clientkeep.adapters.crypto.errors import KeystoreError
from clientkeep.adapters.crypto.keystore import KeyStore
from clientkeep.adapters.crypto.master_keys import (
    MasterKeyRing,
    create_key_file,
    load_key_file,
    parse_master_key_env,
    resolve_master_keys,
)

if TYPE_CHECKING:
    from clientkeep.config import Settings

# System secrets every installation needs; names, not values.
BLIND_INDEX = "blind-index"
WEB_SESSION = "web-session"
SYSTEM_SECRET_NAMES = (BLIND_INDEX, WEB_SESSION)


def init_keys(settings: Settings) -> MasterKeyRing:
    """Make what a new installation needs; safe to run again (it reuses what exists)."""
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    if settings.master_key:
        ring = parse_master_key_env(settings.master_key)
    elif settings.master_key_file.exists():
        ring = load_key_file(settings.master_key_file)
    else:
        ring = create_key_file(settings.master_key_file)
    engine = make_keystore_engine(settings.keystore_url)
    try:
        migrate.upgrade(engine)
        _restrict_sqlite_file(engine)
        store = KeyStore(engine, ring)
        for name in SYSTEM_SECRET_NAMES:
            store.secret(name)
    finally:
        engine.dispose()
    return ring


def upgrade_keystore(settings: Settings) -> None:
    engine = make_keystore_engine(settings.keystore_url)
    try:
        migrate.upgrade(engine)
        _restrict_sqlite_file(engine)
    finally:
        engine.dispose()


def open_keystore(settings: Settings, ring: MasterKeyRing | None = None) -> KeyStore:
    """Open an existing key store; creates nothing (SQLite would silently make an empty file)."""
    ring = ring or resolve_master_keys(settings)
    path = _sqlite_path(settings.keystore_url)
    if path is not None and not path.exists():
        raise KeystoreError(f"no key store at {path}: run `clientkeep init`")
    return KeyStore(make_keystore_engine(settings.keystore_url), ring)


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def _restrict_sqlite_file(engine: Engine) -> None:
    # The wrapped keys are useless without the master key, but there is no reason for anyone
    # else to read them either.
    path = _sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is not None and path.exists():
        os.chmod(path, 0o600)
