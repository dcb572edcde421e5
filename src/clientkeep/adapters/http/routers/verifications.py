"""Verifying a caller over REST: the agent sends what the caller said; the answer is only
whether it was enough. Stored values, and which answer was wrong, never leave the service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field, StringConstraints

from clientkeep.adapters.http.customer_records_schemas import Strict
from clientkeep.adapters.http.deps import ActorDep, ContainerDep
from clientkeep.verification import services as verification
from clientkeep.verification.kinds import PURPOSE

router = APIRouter(prefix="/customers", tags=["verification"])
Answer = Annotated[str, StringConstraints(max_length=200)]
AnswerName = Annotated[str, StringConstraints(max_length=64)]
Purpose = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class VerificationIn(Strict):
    method: Literal["knowledge"]
    answers: dict[AnswerName, Answer] = Field(
        max_length=10,
        description=(
            "What the caller said, typed as they said it, by answer name: the policy's "
            "knowledge check lists them (by default date_of_birth, postcode, phone_last_four "
            "and customer_reference). Each is normalised as the field is on entry."
        ),
    )
    purpose: Purpose = PURPOSE


class VerificationOut(Strict):
    verified: bool
    verification_id: str | None = Field(
        None, description="Quote it to disclose or change anything for this caller."
    )
    expires_at: datetime | None = None
    attempts_left: int | None = Field(
        None, description="After a failure: attempts left before the customer's checks lock."
    )


class AttemptOut(Strict):
    id: str
    method: str
    verified: bool
    details_asked_for: list[str]
    at: datetime
    expires_at: datetime | None
    checked_by: str
    checked_by_name: str


class Attempts(Strict):
    items: list[AttemptOut]


LOCKED: dict[int | str, dict[str, Any]] = {
    423: {
        "description": (
            "Too many failed checks for this customer lately (problem type "
            "verification-locked); retry_at and the Retry-After header say when to try again."
        )
    }
}


@router.post(
    "/{customer_id}/verifications",
    response_model=VerificationOut,
    response_model_exclude_none=True,
    summary="Check that a caller is the customer, from what they state",
    responses=LOCKED,
)
def verify(
    customer_id: str, body: VerificationIn, actor: ActorDep, c: ContainerDep
) -> VerificationOut:
    done = verification.check_knowledge(
        customer_id,
        verification.KnowledgeCheck(answers=body.answers, purpose=body.purpose),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return VerificationOut(
        verified=done.verified,
        verification_id=done.verification_id,
        expires_at=done.expires_at,
        attempts_left=done.attempts_left,
    )


@router.get(
    "/{customer_id}/verifications",
    response_model=Attempts,
    summary="The customer's identity checks: who ran each, when, and the outcome",
)
def attempts(
    customer_id: str,
    actor: ActorDep,
    c: ContainerDep,
    purpose: Annotated[str, Query(min_length=1, max_length=64)] = PURPOSE,
) -> Attempts:
    found = verification.attempts(
        customer_id, purpose=purpose, uow=c.uow(), actor=actor, policy=c.policy
    )
    return Attempts(
        items=[
            AttemptOut(
                id=a.id,
                method=a.method,
                verified=a.verified,
                details_asked_for=list(a.stated),
                at=a.at,
                expires_at=a.expires_at,
                checked_by=a.checked_by,
                checked_by_name=a.checked_by_name,
            )
            for a in found
        ]
    )
