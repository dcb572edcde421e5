"""A customer's authorised representatives over REST: record one (pending), list them, and
approve, refuse or revoke one. The representative's own answers go in once, for verifying
them later (``POST .../verifications`` with method ``representative``), and never come out."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field, StringConstraints

from clientkeep.adapters.http.customer_records_schemas import Strict
from clientkeep.adapters.http.deps import ActorDep, ContainerDep
from clientkeep.verification import representatives as reps

router = APIRouter(prefix="/customers", tags=["representatives"])
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Purpose = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Answer = Annotated[str, StringConstraints(max_length=200)]
AnswerName = Annotated[str, StringConstraints(max_length=64)]
Authority = Literal[
    "lasting_power_of_attorney", "deputyship", "parental_responsibility", "solicitors_letter"
]


class ScopeIn(Strict):
    fields: list[FieldName] = Field(
        max_length=reps.SCOPE_MAX,
        description="Fields they may be told or have changed: only ones the purpose shows you.",
    )
    actions: list[Literal["disclose", "update"]] = Field(max_length=2)


class RepresentativeIn(Strict):
    name: Annotated[str, StringConstraints(max_length=reps.NAME_MAX)]
    relationship: Annotated[str, StringConstraints(max_length=reps.RELATIONSHIP_MAX)] = Field(
        description='How they are related to the customer ("daughter", "solicitor").'
    )
    authority: Authority
    reference: Annotated[str, StringConstraints(max_length=reps.REFERENCE_MAX)] = Field(
        "", description="The authority's own reference, such as the LPA's OPG reference."
    )
    evidence_seen: Annotated[str, StringConstraints(max_length=reps.EVIDENCE_MAX)] = Field(
        description="Which document you saw, and in what form."
    )
    scope: ScopeIn
    # JSON has no date type: an ISO date string (YYYY-MM-DD) is what strict mode lets through.
    expires_on: Annotated[date | None, Field(strict=False)] = Field(
        None, description="The last day the authority lasts (YYYY-MM-DD); leave out while it lasts."
    )
    answers: dict[AnswerName, Answer] = Field(
        max_length=10,
        description=(
            "The representative's OWN answers, for verifying them later, by answer name "
            "(by default date_of_birth, postcode and phone_last_four; at least as many as the "
            "knowledge check needs). Stored sealed; never returned."
        ),
    )
    purpose: Purpose | None = Field(None, description="The policy's default purpose if not given.")


class RecordedOut(Strict):
    representative_id: str
    status: str


class RepresentativeOut(Strict):
    id: str
    name: str
    relationship: str
    authority: str
    reference: str
    evidence_seen: str
    scope_fields: list[str]
    scope_actions: list[str]
    expires_on: date | None
    expired: bool
    status: str
    acts_now: bool = Field(description="Approved and not expired: may be verified now.")
    purpose: str
    recorded_by: str
    recorded_by_name: str
    recorded_at: datetime
    decided_by: str | None
    decided_by_name: str | None
    decided_at: datetime | None
    decision_reason: str | None


class RepresentativeList(Strict):
    items: list[RepresentativeOut]


class DecisionIn(Strict):
    decision: Literal["approve", "refuse", "revoke"]
    reason: Annotated[str, StringConstraints(max_length=reps.REASON_MAX)]


@router.post(
    "/{customer_id}/representatives",
    response_model=RecordedOut,
    status_code=201,
    summary="Record someone with authority to act for the customer (pending approval)",
)
def record(
    customer_id: str, body: RepresentativeIn, actor: ActorDep, c: ContainerDep
) -> RecordedOut:
    done = reps.record_representative(
        customer_id,
        reps.RecordRepresentative(
            name=body.name,
            relationship=body.relationship,
            authority=body.authority,
            reference=body.reference,
            evidence_seen=body.evidence_seen,
            scope_fields=body.scope.fields,
            scope_actions=list(body.scope.actions),
            answers=body.answers,
            expires_on=body.expires_on,
            purpose=body.purpose,
        ),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return RecordedOut(representative_id=done.representative_id, status=done.status)


@router.get(
    "/{customer_id}/representatives",
    response_model=RepresentativeList,
    summary="The customer's representatives: authority, scope, expiry, status, decisions",
)
def representatives(
    customer_id: str,
    actor: ActorDep,
    c: ContainerDep,
    purpose: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> RepresentativeList:
    found = reps.representatives(
        customer_id,
        purpose=purpose or c.policy.default_purpose,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return RepresentativeList(
        items=[
            RepresentativeOut(
                id=r.id,
                name=r.name,
                relationship=r.relationship,
                authority=r.authority,
                reference=r.reference,
                evidence_seen=r.evidence_seen,
                scope_fields=list(r.scope_fields),
                scope_actions=list(r.scope_actions),
                expires_on=r.expires_on,
                expired=r.expired,
                status=r.status,
                acts_now=r.acts_now,
                purpose=r.purpose,
                recorded_by=r.recorded_by,
                recorded_by_name=r.recorded_by_name,
                recorded_at=r.recorded_at,
                decided_by=r.decided_by,
                decided_by_name=r.decided_by_name,
                decided_at=r.decided_at,
                decision_reason=r.decision_reason,
            )
            for r in found
        ]
    )


@router.post(
    "/{customer_id}/representatives/{representative_id}/decision",
    response_model=RecordedOut,
    summary="Approve or refuse a pending representative, or revoke an approved one",
    responses={
        403: {"description": "No disclosures.approve, or you recorded them (four eyes)."},
        409: {"description": "Not pending (approve, refuse) or not approved (revoke)."},
    },
)
def decide(
    customer_id: str,
    representative_id: str,
    body: DecisionIn,
    actor: ActorDep,
    c: ContainerDep,
) -> RecordedOut:
    done = reps.decide(
        customer_id,
        representative_id,
        reps.Decide(decision=body.decision, reason=body.reason),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return RecordedOut(representative_id=done.representative_id, status=done.status)
