"""`clientkeep audit list` pages as the REST API shows them: the same cursors, the same field
names, without loading the HTTP layer (FastAPI and pydantic cost the CLI's start-up).

The cursors are the audit capability's own (`audit/cursors.py`), so a cursor from one works in
the other; a test compares this module's documents with the API's models.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from clientkeep.audit.model import AuditEvent
    from clientkeep.audit.services import AuditPage
    from clientkeep.staff.directory import Directory


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
