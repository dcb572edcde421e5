"""AES-256-GCM sealing with associated data that pins a ciphertext to where it belongs.

A customer's value is sealed under one version of that customer's data key, and the version
is in the value's header, so a partial erasure can re-seal what it keeps under a new version
and destroy the old one. Headers: ``01 nonce ct`` (the first format: key version 1) and
``02 version(4 bytes, big-endian) nonce ct``.
"""

from __future__ import annotations

import functools
import os
import struct
from collections.abc import Callable, Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = b"\x01"  # the first format; still what `seal` writes (wrapped keys use it)
VERSIONED = b"\x02"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
_VERSIONED_HEAD = 1 + 4
_AAD_PREFIX = b"clientkeep aad v1"


class DecryptionFailed(Exception):
    """A sealed value could not be opened.

    Deliberately says nothing about why: tampering, a moved ciphertext and a wrong key look the
    same to an attacker, and the message must never carry data.
    """

    def __init__(self) -> None:
        super().__init__("sealed value could not be opened (tampered, moved or wrong key)")


def _aead(key: bytes) -> AESGCM:
    if len(key) != KEY_BYTES:
        raise ValueError(f"AES-256-GCM needs a {KEY_BYTES}-byte key, got {len(key)} bytes")
    return AESGCM(key)


def _seal_with(aead: AESGCM, plaintext: bytes, aad: bytes, head: bytes = VERSION) -> bytes:
    # A fresh random 96-bit nonce per seal: with random nonces the collision risk stays
    # negligible far beyond the number of values one customer's key will ever seal.
    nonce = os.urandom(NONCE_BYTES)
    return head + nonce + aead.encrypt(nonce, plaintext, aad)


def _open_at(aead: AESGCM, blob: bytes, start: int, aad: bytes) -> bytes:
    if len(blob) < start + NONCE_BYTES + TAG_BYTES:
        raise DecryptionFailed()
    try:
        return aead.decrypt(blob[start : start + NONCE_BYTES], blob[start + NONCE_BYTES :], aad)
    except InvalidTag:
        raise DecryptionFailed() from None


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt and authenticate: version byte + nonce + ciphertext||tag."""
    return _seal_with(_aead(key), plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Decrypt a blob from `seal`; any mismatch raises DecryptionFailed."""
    if blob[:1] != VERSION:
        raise DecryptionFailed()
    return _open_at(_aead(key), blob, 1, aad)


def _locate(blob: bytes) -> tuple[int, int]:
    # (key version, where the nonce starts)
    if blob[:1] == VERSION:
        return 1, 1
    if blob[:1] == VERSIONED and len(blob) >= _VERSIONED_HEAD:
        return int.from_bytes(blob[1:_VERSIONED_HEAD], "big"), _VERSIONED_HEAD
    raise DecryptionFailed()


def sealed_key_version(blob: bytes) -> int:
    """The data-key version a customer's value was sealed under, read from its header."""
    return _locate(blob)[0]


@functools.lru_cache(maxsize=1024)
def _header(version: int) -> bytes:
    return VERSIONED + version.to_bytes(4, "big")


def _pack(part: str) -> bytes:
    raw = part.encode("utf-8")
    return struct.pack(">I", len(raw)) + raw


def encode_parts(prefix: bytes, *parts: str) -> bytes:
    """Length-prefix every part so ("ab", "c") and ("a", "bc") never encode alike."""
    out = [prefix]
    for part in parts:
        raw = part.encode("utf-8")
        out.append(struct.pack(">I", len(raw)))
        out.append(raw)
    return b"".join(out)


def associated_data(table: str, column: str, row_id: str, customer_id: str) -> bytes:
    """Bind a ciphertext to its table, column, row and customer."""
    return _place(table, column) + encode_parts(b"", row_id, customer_id)


@functools.lru_cache(maxsize=256)
def _place(table: str, column: str) -> bytes:
    # A handful of (table, column) pairs seal everything: encode their prefix once.
    return encode_parts(_AAD_PREFIX, table, column)


class CustomerKeys:
    """Every data-key version one customer still holds; new values go under the newest.

    Made once per key-store read and then shared through the key cache, so whatever can be
    worked out ahead (the newest header, the packed customer id) is worked out here, not for
    every cipher. ``reload`` fetches them afresh: another process may have added a version.
    """

    __slots__ = ("customer_id", "header", "newest", "newest_key", "owner", "reload", "versions")

    def __init__(
        self,
        customer_id: str,
        versions: Mapping[int, bytes],
        reload: Callable[[str], CustomerKeys | None] | None = None,
    ) -> None:
        if not versions:
            raise ValueError("a customer's keys need at least one version")
        for key in versions.values():
            if len(key) != KEY_BYTES:
                raise ValueError(f"AES-256-GCM needs a {KEY_BYTES}-byte key")
        self.customer_id = customer_id
        self.versions = versions
        self.newest = max(versions)
        self.newest_key = versions[self.newest]
        self.header = _header(self.newest)
        self.owner = _pack(customer_id)
        self.reload = reload

    def __repr__(self) -> str:
        return f"CustomerKeys(customer_id={self.customer_id!r}, versions={sorted(self.versions)})"


class CustomerCipher:
    """Seals one customer's values under their newest data key; opens any version they hold.

    ``data_key`` is the customer's keys, or a single key, which is then key version 1.
    """

    __slots__ = ("_aead", "_header", "_keys", "_owner", "customer_id", "version")

    def __init__(self, customer_id: str, data_key: bytes | CustomerKeys) -> None:
        if isinstance(data_key, bytes):
            data_key = CustomerKeys(customer_id, {1: data_key})
        self.customer_id = customer_id
        self._use(data_key)

    def _use(self, keys: CustomerKeys) -> None:
        self._keys = keys
        self.version = keys.newest
        self._aead = AESGCM(keys.newest_key)  # its length was checked when keys was made
        self._header = keys.header
        self._owner = keys.owner

    def __repr__(self) -> str:
        return f"CustomerCipher(customer_id={self.customer_id!r}, version={self.version})"

    def seal_bytes(self, table: str, column: str, row_id: str, value: bytes) -> bytes:
        aad = _place(table, column) + _pack(row_id) + self._owner
        return _seal_with(self._aead, value, aad, self._header)

    def open_bytes(self, table: str, column: str, row_id: str, blob: bytes) -> bytes:
        aad = _place(table, column) + _pack(row_id) + self._owner
        # Nearly every value is under the newest key, or is a first-format blob of a
        # customer who never had a second key: neither needs to look any further. This is
        # the inner loop of every read, hence each path spelled out with its own offsets.
        if blob[:5] == self._header:
            body = blob[17:]
            if len(body) >= TAG_BYTES:
                try:
                    return self._aead.decrypt(blob[5:17], body, aad)
                except InvalidTag:
                    pass
            raise DecryptionFailed()
        if blob[:1] == VERSION and self.version == 1:
            body = blob[13:]
            if len(body) >= TAG_BYTES:
                try:
                    return self._aead.decrypt(blob[1:13], body, aad)
                except InvalidTag:
                    pass
            raise DecryptionFailed()
        version, start = _locate(blob)
        return _open_at(self._older(version), blob, start, aad)

    def _older(self, version: int) -> AESGCM:
        key = self._keys.versions.get(version)
        if key is None and self._keys.reload is not None and version > self.version:
            # Sealed under a version added since these keys were read (by another process,
            # perhaps): read them again, and seal under that newer version from now on.
            fresh = self._keys.reload(self.customer_id)
            if fresh is not None:
                self._use(fresh)
                key = fresh.versions.get(version)
        if key is None:
            raise DecryptionFailed()  # a destroyed version, or a header tampered with
        return AESGCM(key)

    def seal_text(self, table: str, column: str, row_id: str, value: str) -> bytes:
        return self.seal_bytes(table, column, row_id, value.encode("utf-8"))

    def open_text(self, table: str, column: str, row_id: str, blob: bytes) -> str:
        return self.open_bytes(table, column, row_id, blob).decode("utf-8")
