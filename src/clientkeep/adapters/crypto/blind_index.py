"""Blind indexes: keyed hashes of normalised values, so lookups never need plaintext."""

from __future__ import annotations

import hmac

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_INDEX_INFO = "clientkeep blind index v1:"


def derive_key(root: bytes, purpose: str, *, length: int = 32) -> bytes:
    """Derive an independent key for one purpose from a root secret (HKDF-SHA256)."""
    if len(root) < 32:
        raise ValueError("the root key must be at least 32 bytes")
    hkdf = HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode())
    return hkdf.derive(root)


class BlindIndexer:
    """HMAC-SHA256 tokens with one derived key per kind of value.

    Separate keys per kind mean an email token can never be matched against a phone token,
    and a leaked token table reveals no cross-kind equalities.
    """

    __slots__ = ("_keys", "_root")

    def __init__(self, root_key: bytes) -> None:
        if len(root_key) < 32:
            raise ValueError("the blind-index root key must be at least 32 bytes")
        self._root = root_key
        self._keys: dict[str, bytes] = {}

    def __repr__(self) -> str:
        return "BlindIndexer(<key hidden>)"

    def _key(self, kind: str) -> bytes:
        key = self._keys.get(kind)
        if key is None:
            if not kind:
                raise ValueError("a blind index needs a kind")
            key = derive_key(self._root, _INDEX_INFO + kind)
            self._keys[kind] = key
        return key

    def token(self, kind: str, normalised_value: str, *, truncate_bytes: int = 16) -> bytes:
        """The token for an already normalised value.

        Truncation is deliberate: shorter tokens collide now and then, which the service
        resolves by decrypting candidates, and which makes a token table weaker evidence.
        """
        if not 4 <= truncate_bytes <= 32:
            raise ValueError("truncate_bytes must be between 4 and 32")
        # The one-shot digest runs in C: several times quicker than hmac.new(...).digest().
        digest = hmac.digest(self._key(kind), normalised_value.encode("utf-8"), "sha256")
        return digest[:truncate_bytes]
