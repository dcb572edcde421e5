"""The review queue over REST: stale records, suspected duplicates, and customers whose caller
checks are locked now."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel

from clientkeep.adapters.http.deps import ActorDep, ContainerDep
from clientkeep.customers import review
from clientkeep.verification import lockouts

router = APIRouter(prefix="/review-queue", tags=["review"])


class StaleOut(BaseModel):
    customer_id: str
    display_name: str
    # Only fields the policy's default purpose shows are named; the rest are counted.
    stale_fields: list[str]
    other_stale: int
    oldest_confirmation: datetime


class DuplicateOut(BaseModel):
    id: str
    customer_id: str
    display_name: str
    other_id: str
    other_display_name: str
    reasons: list[str]
    detected_at: datetime


class QueueOut(BaseModel):
    stale: list[StaleOut]
    duplicates: list[DuplicateOut]
    # How many are queued in all; None where the page was full and not counted to the end.
    stale_total: int | None = None
    duplicates_total: int | None = None

    @classmethod
    def of(cls, queue: review.ReviewQueue) -> QueueOut:
        return cls(
            stale=[
                StaleOut(
                    customer_id=s.customer_id,
                    display_name=s.display_name,
                    stale_fields=list(s.stale_fields),
                    other_stale=s.other_stale,
                    oldest_confirmation=s.oldest_confirmation,
                )
                for s in queue.stale
            ],
            duplicates=[
                DuplicateOut(
                    id=d.id,
                    customer_id=d.customer_id,
                    display_name=d.display_name,
                    other_id=d.other_id,
                    other_display_name=d.other_display_name,
                    reasons=list(d.reasons),
                    detected_at=d.detected_at,
                )
                for d in queue.duplicates
            ],
            stale_total=queue.stale_total,
            duplicates_total=queue.duplicates_total,
        )


@router.get("", response_model=QueueOut, summary="Stale records and suspected duplicates")
def read_queue(
    actor: ActorDep,
    c: ContainerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    count_all: Annotated[
        bool, Query(description="count a full page's queue to the end (stale_total...)")
    ] = False,
) -> QueueOut:
    queue = review.review_queue(
        uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock, limit=limit, count_all=count_all
    )
    return QueueOut.of(queue)


@router.post(
    "/duplicates/{suspect_id}/dismiss",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Mark a suspected duplicate as two different people",
)
def dismiss(suspect_id: str, actor: ActorDep, c: ContainerDep) -> Response:
    review.dismiss_duplicate(suspect_id, uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


class LockedOut(BaseModel):
    customer_id: str
    display_name: str
    # Failed checks within the lockout's window; never what any caller said.
    failures: int
    first_failure_at: datetime
    last_failure_at: datetime
    retry_at: datetime
    tried_by: list[str]
    tried_by_names: list[str]


class LockoutsOut(BaseModel):
    items: list[LockedOut]

    @classmethod
    def of(cls, found: list[lockouts.LockedCustomer]) -> LockoutsOut:
        return cls(
            items=[
                LockedOut(
                    customer_id=f.customer_id,
                    display_name=f.display_name,
                    failures=f.failures,
                    first_failure_at=f.first_failure_at,
                    last_failure_at=f.last_failure_at,
                    retry_at=f.retry_at,
                    tried_by=list(f.tried_by),
                    tried_by_names=list(f.tried_by_names),
                )
                for f in found
            ]
        )


@router.get(
    "/lockouts",
    response_model=LockoutsOut,
    summary="Customers whose caller checks are locked now, after repeated failures",
)
def read_lockouts(
    actor: ActorDep, c: ContainerDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> LockoutsOut:
    found = lockouts.locked_customers(
        uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock, limit=limit
    )
    return LockoutsOut.of(found)
