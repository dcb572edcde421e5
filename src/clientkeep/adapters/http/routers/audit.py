"""GET /api/v1/audit and /api/v1/audit/export.csv: the data protection lead pages through,
filters and exports the trail.

Newest first. ``next_cursor`` leads to older events and ``prev_cursor`` back to newer ones;
``order=oldest`` walks up from the first event instead, with cursors of the original kind
(``seq:N``), which are still accepted from clients that stored one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from starlette.responses import StreamingResponse

from clientkeep.adapters.http.deps import ActorDep, ContainerDep
from clientkeep.audit import export as exporting
from clientkeep.audit import services as audit
from clientkeep.audit.cursors import Order, cursors, query_of
from clientkeep.audit.model import AuditEvent
from clientkeep.audit.via import Channel, via
from clientkeep.bootstrap import Container
from clientkeep.shared.actor import Actor
from clientkeep.staff.directory import Directory, directory

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
    # As staff read it: "Kim New (supervisor)"; an id no member of staff holds, as it is.
    actor_name: str
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
    # Older events (oldest first: later ones); None at the end.
    next_cursor: str | None
    # Newer events, newest first only; None on the newest page.
    prev_cursor: str | None = None


def people(container: Container) -> Directory:
    uow = container.uow()
    with uow.reading():
        return directory(uow.staff)


def event_out(event: AuditEvent, names: Directory) -> AuditEventOut:
    """An event as the API (and `clientkeep audit list --json`) shows it."""
    e = event.entry
    how = via(e.credential)
    return AuditEventOut(
        seq=event.seq,
        id=event.id,
        occurred_at=event.occurred_at,
        actor_id=e.actor_id,
        actor_name=names.label(e.actor_id),
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


CursorQuery = Annotated[
    str | None, Query(max_length=64, description="next_cursor or prev_cursor of a page")
]
CustomerQuery = Annotated[str | None, Query(max_length=32, description="a customer id")]
ActorQuery = Annotated[str | None, Query(max_length=64, description="a member of staff's id")]
ActionQuery = Annotated[str | None, Query(max_length=64, description="e.g. customer.read")]
OutcomeQuery = Annotated[str | None, Query(max_length=16, description="success, denied, failed")]
PurposeQuery = Annotated[str | None, Query(max_length=64, description="one of the policy's")]
FromQuery = Annotated[
    str | None,
    Query(alias="from", max_length=40, description="a date or date-time (UTC), inclusive"),
]
ToQuery = Annotated[
    str | None, Query(alias="to", max_length=40, description="a date or date-time, inclusive")
]


@router.get("/audit", response_model=AuditPageOut, summary="Page through the audit trail (dpo)")
def list_audit(
    actor: ActorDep,
    container: ContainerDep,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=audit.MAX_PAGE)] = 50,
    order: Annotated[Order, Query(description="with no cursor: where to start")] = "newest",
    customer_id: CustomerQuery = None,
    actor_id: ActorQuery = None,
    action: ActionQuery = None,
    outcome: OutcomeQuery = None,
    purpose: PurposeQuery = None,
    since: FromQuery = None,
    until: ToQuery = None,
) -> AuditPageOut:
    query = query_of(
        cursor,
        order,
        limit,
        customer_id=customer_id,
        actor_id=actor_id,
        action=action,
        outcome=outcome,
        purpose=purpose,
        since=since,
        until=until,
    )
    page = audit.read_page(query, uow=container.uow(), actor=actor, policy=container.policy)
    names = people(container)
    next_cursor, prev_cursor = cursors(query, page)
    return AuditPageOut(
        items=[event_out(e, names) for e in page.events],
        next_cursor=next_cursor,
        prev_cursor=prev_cursor,
    )


@router.get(
    "/audit/export.csv",
    summary="Export the filtered audit trail as CSV, newest first (dpo); itself audited",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}}},
)
def export_audit(
    actor: ActorDep,
    container: ContainerDep,
    customer_id: CustomerQuery = None,
    actor_id: ActorQuery = None,
    action: ActionQuery = None,
    outcome: OutcomeQuery = None,
    purpose: PurposeQuery = None,
    since: FromQuery = None,
    until: ToQuery = None,
) -> StreamingResponse:
    query = audit.AuditQuery(
        customer_id=customer_id,
        actor_id=actor_id,
        action=action,
        outcome=outcome,
        purpose=purpose,
        since=since,
        until=until,
    )
    return csv_response(container, query, actor)


def csv_response(container: Container, query: audit.AuditQuery, actor: Actor) -> StreamingResponse:
    """The export, streamed; counted and recorded before the first line is sent."""
    names = people(container)
    done = exporting.export(
        query, uow=container.uow(), actor=actor, policy=container.policy, label=names.label
    )
    return StreamingResponse(
        done.lines,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="audit-trail.csv"',
            "X-Export-Count": str(done.count),
        },
    )
