"""AES-256-GCM sealing with associated data that pins a ciphertext to where it belongs."""

from __future__ import annotations

import functools
import os
import struct

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = b"\x01"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 32
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


def _seal_with(aead: AESGCM, plaintext: bytes, aad: bytes) -> bytes:
    # A fresh random 96-bit nonce per seal: with random nonces the collision risk stays
    # negligible far beyond the number of values one customer's key will ever seal.
    nonce = os.urandom(NONCE_BYTES)
    return VERSION + nonce + aead.encrypt(nonce, plaintext, aad)


def _open_with(aead: AESGCM, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < 1 + NONCE_BYTES + TAG_BYTES or blob[:1] != VERSION:
        raise DecryptionFailed()
    nonce = blob[1 : 1 + NONCE_BYTES]
    try:
        return aead.decrypt(nonce, blob[1 + NONCE_BYTES :], aad)
    except InvalidTag:
        raise DecryptionFailed() from None


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt and authenticate: version byte + nonce + ciphertext||tag."""
    return _seal_with(_aead(key), plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Decrypt a blob from `seal`; any mismatch raises DecryptionFailed."""
    return _open_with(_aead(key), blob, aad)


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


class CustomerCipher:
    """Seals and opens one customer's values under that customer's data key."""

    __slots__ = ("_aead", "_owner", "customer_id")

    def __init__(self, customer_id: str, data_key: bytes) -> None:
        self.customer_id = customer_id
        self._aead = _aead(data_key)
        self._owner = _pack(customer_id)

    def __repr__(self) -> str:
        return f"CustomerCipher(customer_id={self.customer_id!r})"

    def seal_bytes(self, table: str, column: str, row_id: str, value: bytes) -> bytes:
        aad = _place(table, column) + _pack(row_id) + self._owner
        return _seal_with(self._aead, value, aad)

    def open_bytes(self, table: str, column: str, row_id: str, blob: bytes) -> bytes:
        aad = _place(table, column) + _pack(row_id) + self._owner
        return _open_with(self._aead, blob, aad)

    def seal_text(self, table: str, column: str, row_id: str, value: str) -> bytes:
        return self.seal_bytes(table, column, row_id, value.encode("utf-8"))

    def open_text(self, table: str, column: str, row_id: str, blob: bytes) -> str:
        return self.open_bytes(table, column, row_id, blob).decode("utf-8")
