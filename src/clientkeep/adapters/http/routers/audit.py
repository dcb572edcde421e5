"""GET /api/v1/audit: the data protection lead pages through the trail."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel

from clientkeep.adapters.http.deps import ActorDep, ContainerDep
from clientkeep.audit import services as audit
from clientkeep.audit.model import AuditEvent
from clientkeep.audit.via import Channel, via
from clientkeep.shared.errors import InvalidInput

router = APIRouter(tags=["audit"])


class ViaOut(BaseModel):
    """How the actor acted, read from ``credential``."""

    channel: Channel
    # The operating-system account that ran a command-line event, where it is recorded.
    os_user: str | None


class AuditEventOut(BaseModel):
    seq: int
    id: str
    occurred_at: datetime
    actor_id: str
    actor_role: str
    credential: str
    via: ViaOut
    action: str
    outcome: str
    customer_id: str | None
    fields: list[str]
    purpose: str | None
    request_id: str | None
    detail: dict[str, str | int | bool | None]
    prev_hash: str
    hash: str


class AuditPageOut(BaseModel):
    items: list[AuditEventOut]
    next_cursor: str | None


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        if kind != "seq" or not value.isdigit():
            raise ValueError(cursor)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput([("cursor", "The cursor is not one this server issued.")]) from None


def _out(event: AuditEvent) -> AuditEventOut:
    e = event.entry
    how = via(e.credential)
    return AuditEventOut(
        seq=event.seq,
        id=event.id,
        occurred_at=event.occurred_at,
        actor_id=e.actor_id,
        actor_role=e.actor_role,
        credential=e.credential,
        via=ViaOut(channel=how.channel, os_user=how.os_user),
        action=e.action,
        outcome=str(e.outcome),
        customer_id=e.customer_id,
        fields=list(e.fields),
        purpose=e.purpose,
        request_id=e.request_id,
        detail=dict(e.detail),
        prev_hash=event.prev_hash,
        hash=event.hash,
    )


@router.get("/audit", response_model=AuditPageOut, summary="Page through the audit trail (dpo)")
def list_audit(
    actor: ActorDep,
    container: ContainerDep,
    cursor: Annotated[str | None, Query(description="next_cursor from the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_PAGE)] = 50,
    customer_id: Annotated[str | None, Query(max_length=32)] = None,
    action: Annotated[str | None, Query(max_length=64)] = None,
) -> AuditPageOut:
    page = audit.read_page(
        audit.AuditQuery(
            after_seq=decode_cursor(cursor), limit=limit, customer_id=customer_id, action=action
        ),
        uow=container.uow(),
        actor=actor,
        policy=container.policy,
    )
    next_cursor = encode_cursor(page.next_after_seq) if page.next_after_seq else None
    return AuditPageOut(items=[_out(e) for e in page.events], next_cursor=next_cursor)
