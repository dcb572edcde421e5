"""Operator tasks on the keys: what `clientkeep keys rotate` and `keys status` do."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from clientkeep.adapters.crypto.errors import NothingToRotate
from clientkeep.adapters.crypto.keystore import KeyStore
from clientkeep.adapters.crypto.master_keys import (
    ENV_NAME,
    add_version_to_key_file,
    key_source,
    resolve_master_keys,
)
from clientkeep.adapters.crypto.setup import open_keystore

if TYPE_CHECKING:
    from clientkeep.config import Settings


@dataclass(frozen=True)
class RotationPlan:
    store: KeyStore
    source: str
    target_version: int
    added_version: bool  # a new version was appended to the key file for this rotation
    pending: int  # wrapped keys not yet on target_version


def plan_rotation(settings: Settings) -> RotationPlan:
    """Choose the version to rotate to, adding one to the key file when that is the source.

    If keys remain on older versions a previous rotation was interrupted (or the operator
    added a version to the environment): finish that first rather than adding yet another.
    """
    source = key_source(settings)
    store = open_keystore(settings)
    try:
        pending = store.stale_count()
    except BaseException:
        store.close()
        raise
    if pending:
        return RotationPlan(store, source, store.ring.current, False, pending)
    if source == "env":
        store.close()
        current = store.ring.current
        raise NothingToRotate(
            f"every key already uses master key version {current}, the highest in {ENV_NAME}: "
            f'add a new version there first ("{current}:OLD,{current + 1}:NEW") and run again'
        )
    ring = add_version_to_key_file(settings.master_key_file)
    store = KeyStore(store.engine, ring)
    return RotationPlan(store, source, ring.current, True, store.stale_count())


@dataclass(frozen=True)
class KeyStatus:
    source: str
    versions: list[int]
    current_version: int
    data_keys_by_version: dict[int, int]
    secrets_by_version: dict[int, int]
    destroyed: int
    pending: int

    def as_json(self) -> dict[str, object]:
        return {
            "source": self.source,
            "versions": self.versions,
            "current_version": self.current_version,
            "data_keys_by_version": {str(v): n for v, n in self.data_keys_by_version.items()},
            "secrets_by_version": {str(v): n for v, n in self.secrets_by_version.items()},
            "destroyed": self.destroyed,
            "pending_rotation": self.pending,
        }


def key_status(settings: Settings) -> KeyStatus:
    ring = resolve_master_keys(settings)
    store = open_keystore(settings, ring)
    try:
        return KeyStatus(
            source=key_source(settings),
            versions=sorted(ring.versions),
            current_version=ring.current,
            data_keys_by_version=dict(sorted(store.count_by_version().items())),
            secrets_by_version=dict(sorted(store.secret_count_by_version().items())),
            destroyed=store.destroyed_count(),
            pending=store.stale_count(),
        )
    finally:
        store.close()
