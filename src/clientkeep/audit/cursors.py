"""The audit trail's page cursors, one format for every edge (the REST API, `clientkeep
audit list`): a cursor from one works in the other.

A cursor names a position and which way to go from it: "older:N" (before N, newest first),
"newer:N" (after N, newest first) or "seq:N" (after N, oldest first: the original kind).
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Literal

from clientkeep.shared.errors import InvalidInput

if TYPE_CHECKING:
    from clientkeep.audit.services import AuditPage, AuditQuery

Order = Literal["newest", "oldest"]
_KINDS = ("older", "newer", "seq")


def encode_cursor(seq: int, kind: str = "seq") -> str:
    return base64.urlsafe_b64encode(f"{kind}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[str, int]:
    if not cursor:
        return "", 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        if kind not in _KINDS or not value.isdigit() or len(value) > 18:
            raise ValueError(cursor)
        return kind, int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput([("cursor", "The cursor is not one this server issued.")]) from None


def query_of(cursor: str | None, order: Order, limit: int, **filters: str | None) -> AuditQuery:
    # Imported here: `clientkeep audit --help` loads this module, not the use cases.
    from clientkeep.audit.services import AuditQuery

    kind, seq = decode_cursor(cursor)
    return AuditQuery(
        after_seq=seq if kind in ("newer", "seq") else 0,
        before_seq=seq if kind == "older" else None,
        oldest_first=kind == "seq" or (not kind and order == "oldest"),
        limit=limit,
        **filters,
    )


def cursors(query: AuditQuery, page: AuditPage) -> tuple[str | None, str | None]:
    """The page's next (older; oldest first, later) and previous (newer) cursors."""
    if query.oldest_first:
        return (encode_cursor(page.newer) if page.newer else None), None
    older = encode_cursor(page.older, "older") if page.older else None
    return older, (encode_cursor(page.newer, "newer") if page.newer is not None else None)
