"""The versioned master key: where it comes from, and wrapping data keys under it."""

from __future__ import annotations

import base64
import binascii
import json
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from clientkeep.adapters.crypto.aead import KEY_BYTES, DecryptionFailed, open_sealed, seal

if TYPE_CHECKING:
    from clientkeep.config import Settings

FILE_FORMAT = "clientkeep-master-keys-v1"
ENV_NAME = "CLIENTKEEP_MASTER_KEY"


class MasterKeyError(Exception):
    """The master key is missing, malformed or unsafe. Messages never contain key material."""


def _wrap_aad(version: int, owner: str) -> bytes:
    # The NUL keeps "v1" + "2x" apart from "v12" + "x"; the owner binds a wrapped key to the
    # customer (or secret) it belongs to, so copying it onto another row fails to open.
    return f"clientkeep data key v{version}".encode() + b"\x00" + owner.encode("utf-8")


@dataclass(frozen=True, eq=False)
class MasterKeyRing:
    """Every master-key version still needed; new wraps always use the highest."""

    versions: dict[int, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if not self.versions:
            raise MasterKeyError("the master key ring is empty")
        for version, key in self.versions.items():
            if version < 1:
                raise MasterKeyError(f"master key version {version} must be 1 or more")
            if len(key) != KEY_BYTES:
                raise MasterKeyError(f"master key version {version} is not {KEY_BYTES} bytes")

    def __repr__(self) -> str:
        return f"MasterKeyRing(versions={sorted(self.versions)}, current={self.current})"

    @property
    def current(self) -> int:
        return max(self.versions)

    def wrap(self, data_key: bytes, owner: str) -> tuple[int, bytes]:
        version = self.current
        return version, seal(self.versions[version], data_key, _wrap_aad(version, owner))

    def unwrap(self, version: int, blob: bytes, owner: str) -> bytes:
        key = self.versions.get(version)
        if key is None:
            raise MasterKeyError(
                f"a key is wrapped under master key version {version}, which is not available"
            )
        try:
            return open_sealed(key, blob, _wrap_aad(version, owner))
        except DecryptionFailed:
            raise MasterKeyError(
                f"a key wrapped under master key version {version} does not open: "
                "wrong master key, or the key store was altered"
            ) from None


def _decode_key(text: str, where: str) -> bytes:
    # Accept both base64 alphabets, with or without padding: keys get pasted from many places.
    cleaned = text.strip().replace("-", "+").replace("_", "/").rstrip("=")
    try:
        raw = base64.b64decode(cleaned + "=" * (-len(cleaned) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise MasterKeyError(f"{where} is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise MasterKeyError(f"{where} must decode to {KEY_BYTES} bytes, got {len(raw)}")
    return raw


def encode_key(key: bytes) -> str:
    return base64.urlsafe_b64encode(key).decode("ascii")


def parse_master_key_env(value: str) -> MasterKeyRing:
    """Parse one base64 key (version 1) or "1:base64,2:base64" (explicit versions)."""
    value = value.strip()
    if not value:
        raise MasterKeyError("the master key is empty")
    if ":" not in value:
        return MasterKeyRing({1: _decode_key(value, "the master key")})
    versions: dict[int, bytes] = {}
    for position, item in enumerate(value.split(","), start=1):
        label, sep, encoded = item.strip().partition(":")
        if not sep or not label.strip().isdigit():
            raise MasterKeyError(f'entry {position} must look like "VERSION:BASE64"')
        version = int(label)
        if version in versions:
            raise MasterKeyError(f"master key version {version} appears twice")
        versions[version] = _decode_key(encoded, f"master key version {version}")
    return MasterKeyRing(versions)


def _dump(ring: MasterKeyRing) -> bytes:
    body = {
        "format": FILE_FORMAT,
        "versions": {str(v): encode_key(k) for v, k in sorted(ring.versions.items())},
    }
    return (json.dumps(body, indent=2) + "\n").encode("ascii")


def _write_new(path: Path, content: bytes) -> None:
    # O_EXCL refuses an existing file; 0600 from the first byte, never chmod-ed afterwards.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise MasterKeyError(f"{path} already exists; refusing to overwrite a master key") from None
    try:
        os.write(fd, content)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def create_key_file(path: Path) -> MasterKeyRing:
    """Make a new key file holding a random version 1; never overwrites."""
    ring = MasterKeyRing({1: secrets.token_bytes(KEY_BYTES)})
    _write_new(path, _dump(ring))
    return ring


def load_key_file(path: Path) -> MasterKeyRing:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise MasterKeyError(f"no master key file at {path}") from None
    if mode & 0o077:
        raise MasterKeyError(
            f"{path} can be read by other users: run `chmod 600 {path}` (and consider the key "
            "exposed if anyone else could have read it)"
        )
    try:
        body = json.loads(path.read_bytes())
        if body.get("format") != FILE_FORMAT:
            raise MasterKeyError(f"{path} is not a {FILE_FORMAT} file")
        entries = body["versions"].items()
    except (ValueError, KeyError, AttributeError, TypeError):
        raise MasterKeyError(f"{path} is not a valid master key file") from None
    versions: dict[int, bytes] = {}
    for label, encoded in entries:
        if not str(label).isdigit() or not isinstance(encoded, str):
            raise MasterKeyError(f"{path} has a malformed version entry")
        versions[int(label)] = _decode_key(encoded, f"master key version {label} in {path}")
    return MasterKeyRing(versions)


def add_version_to_key_file(path: Path) -> MasterKeyRing:
    """Append a new random version; the file is replaced atomically, so never half-written."""
    # Two rotations racing could each write their own "version 2", and whichever lost would
    # leave keys wrapped under a master key that no longer exists: hence the lock.
    with _directory_lock(path.parent):
        ring = load_key_file(path)
        grown = MasterKeyRing({**ring.versions, ring.current + 1: secrets.token_bytes(KEY_BYTES)})
        temp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        _write_new(temp, _dump(grown))
        try:
            os.replace(temp, path)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)
    return grown


@contextmanager
def _directory_lock(directory: Path) -> Iterator[None]:
    # Locks the directory rather than the file, whose inode os.replace swaps out.
    try:
        import fcntl
    except ImportError:  # not POSIX: no advisory locks to take
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _fsync_dir(directory: Path) -> None:
    # Makes the rename durable; not every platform lets a directory be opened, hence best effort.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def key_source(settings: Settings) -> str:
    """Where the master key comes from: "env" or "file"."""
    return "env" if settings.master_key else "file"


def resolve_master_keys(settings: Settings) -> MasterKeyRing:
    """The environment wins over the key file; neither is an error telling what to do."""
    if settings.master_key:
        return parse_master_key_env(settings.master_key)
    if settings.master_key_file.exists():
        return load_key_file(settings.master_key_file)
    raise MasterKeyError(f"no master key: run `clientkeep init` or set {ENV_NAME}")
