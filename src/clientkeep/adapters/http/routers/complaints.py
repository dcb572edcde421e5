"""Complaints over REST: open a case, the board, one case, a step of handling it, the final
response letter, a customer's cases and the complaints report (JSON or CSV)."""

from __future__ import annotations

import csv
import io
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import PlainTextResponse

from clientkeep.adapters.http.complaints_schemas import (
    ComplaintIn,
    ComplaintList,
    ComplaintOut,
    ReportOut,
    ReportRowOut,
    State,
    StepIn,
)
from clientkeep.adapters.http.deps import ActorDep, ContainerDep, IdempotencyKeyDep
from clientkeep.complaints import case_views as cases
from clientkeep.complaints import services as complaints
from clientkeep.shared.errors import InvalidInput
from clientkeep.shared.spreadsheet_safe import neutralise_row

router = APIRouter(tags=["complaints"])
CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"description": "The case's state does not allow this step."}
}
REPORT_COLUMNS = tuple(ReportRowOut.model_fields)


@router.post(
    "/complaints",
    response_model=ComplaintOut,
    status_code=201,
    summary="Open a complaint; its deadlines come from its type's rule in the policy",
)
def open_complaint(
    body: ComplaintIn,
    actor: ActorDep,
    c: ContainerDep,
    response: Response,
    idempotency_key: IdempotencyKeyDep,
) -> ComplaintOut:
    view = complaints.open_complaint(
        complaints.OpenComplaint(
            customer_id=body.customer_id,
            type=body.type,
            summary=body.summary,
            desired_outcome=body.desired_outcome,
            channel=body.channel,
            received_at=body.received_at,
            interaction_id=body.interaction_id,
        ),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
        idempotency_key=idempotency_key,
    )
    if view.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return ComplaintOut.of(view)


@router.get(
    "/complaints",
    response_model=ComplaintList,
    summary="The board: everyone's cases by their next deadline (closed ones by state only)",
)
def board(
    actor: ActorDep,
    c: ContainerDep,
    state: State | None = None,
    due: Literal["overdue", "nearly_due"] | None = None,
    owner: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    type: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=cases.PAGE_MAX)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> ComplaintList:
    page = complaints.board(
        state=state,
        due=due,
        owner_id=owner,
        complaint_type=type,
        limit=limit,
        cursor=cursor,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return ComplaintList(
        items=[ComplaintOut.of(v) for v in page.items], next_cursor=page.next_cursor
    )


@router.get(
    "/complaints/{complaint_id}",
    response_model=ComplaintOut,
    summary="One complaint with its steps, read under its purpose; audited",
)
def read(complaint_id: str, actor: ActorDep, c: ContainerDep) -> ComplaintOut:
    view = complaints.complaint_detail(
        complaint_id, uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock
    )
    return ComplaintOut.of(view)


@router.post(
    "/complaints/{complaint_id}/steps",
    response_model=ComplaintOut,
    summary="A step of handling a complaint: acknowledge, investigate, escalate, hold, "
    "release, resolve, close, reopen, assign or note",
    responses=CONFLICT,
)
def take_step(complaint_id: str, body: StepIn, actor: ActorDep, c: ContainerDep) -> ComplaintOut:
    try:
        view = complaints.move(
            complaint_id,
            complaints.MoveComplaint(
                step=body.step,
                note=body.reason or body.note or "",
                resolution=body.resolution,
                checklist=body.checklist.model_dump() if body.checklist else None,
                customer_accepted=body.customer_accepted,
                owner_id=body.owner_id,
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    except InvalidInput as bad:
        # The use case calls the text a note or a reason by the step; a problem names the
        # body field it was sent in.
        sent = "reason" if body.reason else "note" if body.note else None
        if sent is None:
            raise
        raise InvalidInput(
            [(sent if f in ("note", "reason") else f, m) for f, m in bad.errors]
        ) from None
    return ComplaintOut.of(view)


@router.get(
    "/complaints/{complaint_id}/final-response",
    response_class=PlainTextResponse,
    summary="The final response letter of a resolved complaint, as plain text; audited",
    responses={200: {"content": {"text/plain": {}}}, **CONFLICT},
)
def final_response(complaint_id: str, actor: ActorDep, c: ContainerDep) -> PlainTextResponse:
    text = complaints.final_response(
        complaint_id,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
        renderer=c.complaint_letters,
    )
    return PlainTextResponse(text, headers={"Cache-Control": "no-store"})


@router.get(
    "/customers/{customer_id}/complaints",
    response_model=ComplaintList,
    summary="The customer's complaints, newest first; words only under a purpose showing them",
)
def customer_complaints(
    customer_id: str,
    actor: ActorDep,
    c: ContainerDep,
    purpose: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> ComplaintList:
    rules = c.policy.complaints
    chosen = purpose or (rules.purpose if rules else c.policy.default_purpose)
    views = complaints.customer_complaints(
        customer_id, purpose=chosen, uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock
    )
    return ComplaintList(items=[ComplaintOut.of(v) for v in views])


@router.get(
    "/reports/complaints",
    response_model=ReportOut,
    summary="The complaints report by type, month and member of staff (reports.read)",
    responses={200: {"content": {"text/csv": {}}}},
)
def report(
    actor: ActorDep,
    c: ContainerDep,
    format: Literal["json", "csv"] = "json",
) -> ReportOut | Response:
    made = complaints.complaints_report(uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock)
    rows = [ReportRowOut.of(r) for r in made.rows]
    if format == "csv":
        return Response(
            report_csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="complaints-report.csv"',
                "Cache-Control": "no-store",
            },
        )
    return ReportOut(generated_at=made.generated_at, rows=rows)


def report_csv(rows: list[ReportRowOut]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(REPORT_COLUMNS)
    for row in rows:
        values = row.model_dump()
        writer.writerow(
            neutralise_row("" if values[k] is None else str(values[k]) for k in REPORT_COLUMNS)
        )
    return buffer.getvalue()
