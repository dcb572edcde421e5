"""Opaque, prefixed identifiers (``cus_...``, ``stf_...``).

Random rather than sequential so an id reveals neither how many records exist nor when one
was made, and cannot be guessed from a neighbour.
"""

from __future__ import annotations

import base64
import secrets

PREFIXES = frozenset(
    {
        "cus",
        "stf",
        "tok",
        "aud",
        "ses",
        "req",
        "chg",
        "dup",
        "int",
        "cmp",
        "dis",
        "sar",
        "ver",
        "otc",
        "rep",
        "tpr",
        "fbk",
    }
)


def new_id(prefix: str) -> str:
    if prefix not in PREFIXES:
        raise ValueError(f"unknown id prefix {prefix!r}")
    body = base64.b32encode(secrets.token_bytes(15)).decode("ascii").lower()
    return f"{prefix}_{body}"


def derived_id(prefix: str, digest: bytes) -> str:
    """An id worked out again from a keyed digest (of an Idempotency-Key, say): the same for
    the same digest, and as unguessable as a random one without the key behind it."""
    if prefix not in PREFIXES:
        raise ValueError(f"unknown id prefix {prefix!r}")
    if len(digest) < 15:
        raise ValueError("an id needs at least 15 bytes of digest")
    body = base64.b32encode(digest[:15]).decode("ascii").lower()
    return f"{prefix}_{body}"


def has_prefix(value: str, prefix: str) -> bool:
    head, sep, body = value.partition("_")
    return sep == "_" and head == prefix and len(body) == 24 and body.isalnum()
