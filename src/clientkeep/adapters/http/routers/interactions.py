"""Contacts with a customer over REST: log one, correct one, read the timeline, and the
follow-up queue. A note the checker warns about is a 422 naming each hit's field, kind and
offsets, never its text."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from clientkeep.adapters.http.deps import ActorDep, ContainerDep, IdempotencyKeyDep
from clientkeep.adapters.http.interactions_schemas import (
    CorrectionIn,
    EntryOut,
    FollowUpOut,
    FollowUpsOut,
    InteractionIn,
    LoggedOut,
    TimelineOut,
)
from clientkeep.adapters.http.problems import problem
from clientkeep.interactions import follow_ups as queue
from clientkeep.interactions import recording
from clientkeep.interactions import timeline as timelines
from clientkeep.interactions.recording import NoteWarnings

router = APIRouter(tags=["interactions"])
Purpose = Annotated[str | None, Query(min_length=1, max_length=64)]


def _warned(request: Request, exc: NoteWarnings) -> Response:
    hits = [(h.field, h.kind.value, h.start, h.end) for h in exc.hits]
    errors = [{"field": f, "message": m} for f, m in exc.errors]
    for entry, (_, kind, _, _) in zip(errors[len(errors) - len(hits) :], hits, strict=True):
        entry["kind"] = kind
    return problem(
        422,
        "Invalid input",
        "The notes hold what must not be saved as written: save the redacted version, or "
        "say which kinds to keep.",
        slug="note-warnings",
        errors=errors,
        request_id=getattr(request.state, "request_id", None),
        extra={
            "hits": [{"field": f, "kind": k, "start": s, "end": e} for f, k, s, e in hits],
            "keepable": list(exc.keepable),
        },
    )


@router.post(
    "/customers/{customer_id}/interactions",
    response_model=LoggedOut,
    status_code=201,
    summary="Log a contact with the customer; notes checked, sealed and audited",
)
def log_interaction(
    customer_id: str,
    body: InteractionIn,
    request: Request,
    response: Response,
    actor: ActorDep,
    c: ContainerDep,
    idempotency_key: IdempotencyKeyDep,
) -> LoggedOut | Response:
    try:
        done = recording.log_interaction(
            customer_id,
            recording.LogInteraction(
                channel=body.channel,
                category=body.category,
                nature=body.nature,
                actions_taken=body.actions_taken,
                outcome=body.outcome,
                occurred_at=body.occurred_at,
                follow_up_due=body.follow_up_due,
                follow_up_owner=body.follow_up_owner,
                follows_up=body.follows_up,
                purpose=body.purpose,
                redact=body.redact,
                keep=frozenset(body.keep),
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            idempotency_key=idempotency_key,
        )
    except NoteWarnings as warned:
        return _warned(request, warned)
    if done.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return LoggedOut(
        interaction_id=done.interaction_id, redacted=list(done.redacted), kept=list(done.kept)
    )


@router.post(
    "/customers/{customer_id}/interactions/{interaction_id}/corrections",
    response_model=LoggedOut,
    status_code=201,
    summary="Correct a contact: a new entry naming the old one, with its reason",
)
def correct_interaction(
    customer_id: str,
    interaction_id: str,
    body: CorrectionIn,
    request: Request,
    actor: ActorDep,
    c: ContainerDep,
) -> LoggedOut | Response:
    try:
        done = recording.correct_interaction(
            customer_id,
            interaction_id,
            recording.CorrectInteraction(
                reason=body.reason,
                nature=body.nature,
                actions_taken=body.actions_taken,
                channel=body.channel,
                category=body.category,
                outcome=body.outcome,
                occurred_at=body.occurred_at,
                follow_up_due=body.follow_up_due,
                redact=body.redact,
                keep=frozenset(body.keep),
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    except NoteWarnings as warned:
        return _warned(request, warned)
    return LoggedOut(
        interaction_id=done.interaction_id, redacted=list(done.redacted), kept=list(done.kept)
    )


@router.get(
    "/customers/{customer_id}/interactions",
    response_model=TimelineOut,
    summary="The customer's timeline, newest first, cut by the purpose, cursor-paged",
)
def customer_timeline(
    customer_id: str,
    actor: ActorDep,
    c: ContainerDep,
    purpose: Purpose = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=timelines.MAX_LIMIT)] = timelines.DEFAULT_LIMIT,
) -> TimelineOut:
    page = timelines.timeline(
        customer_id,
        purpose=purpose or c.policy.default_purpose,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        sources=c.timeline_sources,
        cursor=cursor,
        limit=limit,
    )
    return TimelineOut(
        purpose=page.purpose,
        items=[EntryOut.of(e, page.staff) for e in page.entries],
        next_cursor=page.next_cursor,
    )


@router.get(
    "/follow-ups",
    response_model=FollowUpsOut,
    summary="Open follow-ups, due first: yours, or the team's",
)
def follow_ups(
    actor: ActorDep,
    c: ContainerDep,
    owner: Literal["me", "team"] = "me",
    due_before: Annotated[date | None, Query(description="due on or before this UK date")] = None,
    purpose: Purpose = None,
) -> FollowUpsOut:
    found = queue.follow_ups(
        team=owner == "team",
        due_before=due_before,
        purpose=purpose,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return FollowUpsOut(items=[FollowUpOut.of(f) for f in found])
