"""Feedback over REST: record a customer's answer (CSAT or NPS), read their answers under a
purpose, ask them for feedback by email, and the satisfaction report (JSON or CSV)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from starlette.responses import PlainTextResponse

from clientkeep.adapters.http.deps import ActorDep, ContainerDep, IdempotencyKeyDep
from clientkeep.adapters.http.feedback_schemas import (
    FeedbackIn,
    FeedbackList,
    FeedbackOut,
    FeedbackRequestIn,
    FeedbackRequestOut,
    SatisfactionLineOut,
    SatisfactionOut,
)
from clientkeep.feedback import services as feedback

router = APIRouter(tags=["feedback"])


@router.post(
    "/customers/{customer_id}/feedback",
    status_code=201,
    response_model=FeedbackOut,
    summary="Record a customer's CSAT (1-5) or NPS (0-10) answer, optionally rating a contact",
)
def record(
    customer_id: str,
    body: FeedbackIn,
    actor: ActorDep,
    c: ContainerDep,
    response: Response,
    idempotency_key: IdempotencyKeyDep,
) -> FeedbackOut:
    done = feedback.record_feedback(
        customer_id,
        feedback.RecordFeedback(
            csat=body.csat,
            nps=body.nps,
            comment=body.comment,
            interaction_id=body.interaction_id,
            channel=body.channel,
            category=body.category,
            at=body.at,
            purpose=body.purpose,
        ),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
        idempotency_key=idempotency_key,
    )
    if done.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return FeedbackOut.of(done.feedback)


@router.get(
    "/customers/{customer_id}/feedback",
    response_model=FeedbackList,
    summary="A customer's answers, newest first, under a purpose that shows feedback; audited",
)
def list_feedback(
    customer_id: str,
    actor: ActorDep,
    c: ContainerDep,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Annotated[str | None, Query(max_length=200, description="a page's next_cursor")] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> FeedbackList:
    page = feedback.customer_feedback(
        customer_id,
        purpose=purpose or c.policy.default_purpose,
        cursor=cursor,
        limit=limit,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
    )
    return FeedbackList(
        shown=page.shown,
        items=[FeedbackOut.of(v) for v in page.items],
        next_cursor=page.next_cursor,
    )


@router.post(
    "/customers/{customer_id}/feedback-requests",
    status_code=202,
    response_model=FeedbackRequestOut,
    summary="Ask the customer for feedback: a plain survey email to the address on record",
)
def ask(
    customer_id: str, body: FeedbackRequestIn, actor: ActorDep, c: ContainerDep
) -> FeedbackRequestOut:
    queued = feedback.ask_for_feedback(
        customer_id,
        feedback.AskForFeedback(interaction_id=body.interaction_id, purpose=body.purpose),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
        renderer=c.feedback_survey,
    )
    return FeedbackRequestOut(message_id=queued.message_id, purpose=queued.purpose)


@router.get(
    "/reports/satisfaction",
    response_model=SatisfactionOut,
    summary="CSAT and NPS by month, channel, category or member of staff (reports.read)",
    responses={200: {"content": {"text/csv": {}}}},
)
def satisfaction(
    actor: ActorDep,
    c: ContainerDep,
    by: Annotated[str, Query(max_length=16, description="month, channel, category or staff")] = (
        "month"
    ),
    from_month: Annotated[
        str | None, Query(alias="from", max_length=7, description="first month, e.g. 2025-12")
    ] = None,
    to_month: Annotated[
        str | None, Query(alias="to", max_length=7, description="last month, e.g. 2026-11")
    ] = None,
    format: Annotated[Literal["json", "csv"], Query()] = "json",
) -> SatisfactionOut | PlainTextResponse:
    report = feedback.satisfaction_report(
        by=by,
        from_month=from_month,
        to_month=to_month,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    if format == "csv":
        return PlainTextResponse(
            feedback.report_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="satisfaction-by-{report.by}.csv"'
            },
        )
    return SatisfactionOut(
        by=report.by,
        from_month=report.from_month,
        to_month=report.to_month,
        lines=[SatisfactionLineOut.of(line) for line in report.lines],
        total=SatisfactionLineOut.of(report.total),
    )
