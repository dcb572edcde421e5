"""`clientkeep audit list` pages as the REST API shows them: the same cursors, the same field
names, without loading the HTTP layer (FastAPI and pydantic cost the CLI's start-up).

The cursor format is the API's (`adapters/http/routers/audit.py`), so a cursor from one works
in the other; a test compares this module's documents with the API's models.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from clientkeep.shared.errors import InvalidInput

if TYPE_CHECKING:
    from clientkeep.audit.model import AuditEvent
    from clientkeep.audit.services import AuditPage, AuditQuery
    from clientkeep.staff.directory import Directory

Order = Literal["newest", "oldest"]
# "older:N" (before N, newest first), "newer:N" (after N, newest first) or "seq:N" (after N,
# oldest first: the API's original kind).
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


def _instant(at: datetime) -> str:
    # As the API writes a UTC time: ISO 8601 with "Z".
    text = at.isoformat()
    return text[: -len("+00:00")] + "Z" if text.endswith("+00:00") else text


def event_json(event: AuditEvent, names: Directory) -> dict[str, Any]:
    """An event with the API's fields (``AuditEventOut``)."""
    from clientkeep.audit.via import via

    e = event.entry
    how = via(e.credential)
    return {
        "seq": event.seq,
        "id": event.id,
        "occurred_at": _instant(event.occurred_at),
        "actor_id": e.actor_id,
        "actor_name": names.label(e.actor_id),
        "actor_role": e.actor_role,
        "credential": e.credential,
        "via": {"channel": str(how.channel), "os_user": how.os_user},
        "action": e.action,
        "outcome": str(e.outcome),
        "customer_id": e.customer_id,
        "fields": list(e.fields),
        "purpose": e.purpose,
        "request_id": e.request_id,
        "detail": dict(e.detail),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def page_json(
    page: AuditPage, names: Directory, next_cursor: str | None, prev_cursor: str | None
) -> dict[str, Any]:
    """A page with the API's fields (``AuditPageOut``)."""
    return {
        "items": [event_json(e, names) for e in page.events],
        "next_cursor": next_cursor,
        "prev_cursor": prev_cursor,
    }
