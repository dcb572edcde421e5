"""Third parties' requests for a customer's details over REST: record one, the queue of those
waiting for a decision, read one, the customer's own list, and the decision. A request is
answered by a disclosure (`POST /customers/{id}/disclosures` with `request_id`)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field, StringConstraints

from clientkeep.adapters.http.customer_records_schemas import Strict
from clientkeep.adapters.http.deps import ActorDep, ContainerDep
from clientkeep.verification import third_party
from clientkeep.verification.third_party_bases import BASES

router = APIRouter(tags=["third-party requests"])
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Purpose = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Line = Annotated[str, StringConstraints(max_length=third_party.LINE_MAX)]
Text = Annotated[str, StringConstraints(max_length=third_party.TEXT_MAX)]
BasisCode = Literal[
    "crime_and_taxation",
    "required_by_law_or_court_order",
    "legal_proceedings",
    "public_body_request",
    "vital_interests",
    "customer_consent",
]
Status = Literal["pending", "approved", "refused", "disclosed"]


class RequestIn(Strict):
    customer_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    requester: Line = Field(description="The person asking, by name (and rank or role).")
    organisation: Line = Field(description="Who they ask for: a force, a firm, a body.")
    identity_check: Text = Field(
        description='How their identity and authority were checked ("called back on the '
        "force's switchboard\")."
    )
    basis: BasisCode = Field(description="The lawful basis or exemption they rely on.")
    reference: Line = Field("", description="Their reference, such as a crime number.")
    reason: Text = Field(description="What they say the details are for.")
    fields: list[FieldName] = Field(
        min_length=1,
        max_length=third_party.FIELDS_MAX,
        description="Fields asked for: only ones the purpose shows your role.",
    )
    purpose: Purpose | None = Field(None, description="The policy's default purpose if not given.")


class DecisionIn(Strict):
    decision: Literal["approve", "refuse"]
    reason: Text = Field(description="Why: the basis weighed, what was checked.")
    fields: list[FieldName] | None = Field(
        None,
        max_length=third_party.FIELDS_MAX,
        description="On approval, the fields approved (of those asked); all asked if not given.",
    )


class DetailsOut(Strict):
    requester: str
    organisation: str
    identity_check: str
    reference: str
    reason: str


class RequestOut(Strict):
    id: str
    customer_id: str
    customer_name: str | None = Field(
        None, description="In the queue only: the name as the default purpose shows it."
    )
    purpose: str
    basis: str
    basis_label: str
    basis_law: str
    fields: list[str]
    approved_fields: list[str] | None
    status: Status
    created_by: str
    created_by_name: str
    created_at: datetime
    decided_by: str | None
    decided_by_name: str | None
    decided_at: datetime | None
    disclosure_id: str | None
    details: DetailsOut | None = Field(
        description="What the requester said; null in the queue, and where the purpose read "
        "under does not show you every field asked for."
    )
    decision_reason: str | None


class RequestList(Strict):
    items: list[RequestOut]
    next_cursor: str | None = None


def _out(view: third_party.RequestView) -> RequestOut:
    basis = BASES.get(view.basis)
    d = view.details
    return RequestOut(
        id=view.id,
        customer_id=view.customer_id,
        customer_name=view.customer_name,
        purpose=view.purpose,
        basis=view.basis,
        basis_label=basis.label if basis else view.basis,
        basis_law=basis.law if basis else "",
        fields=list(view.fields),
        approved_fields=None if view.approved_fields is None else list(view.approved_fields),
        status=view.status,  # type: ignore[arg-type]
        created_by=view.created_by,
        created_by_name=view.created_by_name,
        created_at=view.created_at,
        decided_by=view.decided_by,
        decided_by_name=view.decided_by_name,
        decided_at=view.decided_at,
        disclosure_id=view.disclosure_id,
        details=None
        if d is None
        else DetailsOut(
            requester=d.requester,
            organisation=d.organisation,
            identity_check=d.identity_check,
            reference=d.reference,
            reason=d.reason,
        ),
        decision_reason=view.decision,
    )


def _detail(request_id: str, actor: ActorDep, c: ContainerDep) -> RequestOut:
    view = third_party.request_detail(request_id, uow=c.uow(), actor=actor, policy=c.policy)
    return _out(view)


@router.post(
    "/third-party-requests",
    response_model=RequestOut,
    status_code=201,
    summary="Record a third party's request for a customer's details, pending a decision",
)
def record(body: RequestIn, actor: ActorDep, c: ContainerDep) -> RequestOut:
    made = third_party.record_request(
        body.customer_id,
        third_party.RecordRequest(
            requester=body.requester,
            organisation=body.organisation,
            identity_check=body.identity_check,
            basis=body.basis,
            reference=body.reference,
            reason=body.reason,
            fields=body.fields,
            purpose=body.purpose,
        ),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return _detail(made.id, actor, c)


@router.get(
    "/third-party-requests",
    response_model=RequestList,
    summary="The queue of requests across customers, oldest first (disclosures.approve)",
)
def queue(
    actor: ActorDep,
    c: ContainerDep,
    status: Status = "pending",
    limit: Annotated[int, Query(ge=1, le=third_party.PAGE_MAX)] = 50,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> RequestList:
    page = third_party.queue(
        status=status, limit=limit, cursor=cursor, uow=c.uow(), actor=actor, policy=c.policy
    )
    return RequestList(items=[_out(v) for v in page.items], next_cursor=page.next_cursor)


@router.get(
    "/third-party-requests/{request_id}",
    response_model=RequestOut,
    summary="One request, read under its own purpose; audited",
)
def read(request_id: str, actor: ActorDep, c: ContainerDep) -> RequestOut:
    return _detail(request_id, actor, c)


@router.post(
    "/third-party-requests/{request_id}/decision",
    response_model=RequestOut,
    summary="Approve (some or all of the fields asked) or refuse a pending request",
    responses={
        403: {"description": "Not disclosures.approve, or you recorded the request."},
        409: {"description": "The request is no longer pending."},
    },
)
def decide(request_id: str, body: DecisionIn, actor: ActorDep, c: ContainerDep) -> RequestOut:
    third_party.decide(
        request_id,
        third_party.DecideRequest(decision=body.decision, reason=body.reason, fields=body.fields),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return _detail(request_id, actor, c)


@router.get(
    "/customers/{customer_id}/third-party-requests",
    response_model=RequestList,
    summary="Every third-party request about the customer, newest first; audited",
)
def customer_requests(
    customer_id: str,
    actor: ActorDep,
    c: ContainerDep,
    purpose: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> RequestList:
    found = third_party.customer_requests(
        customer_id,
        purpose=purpose or c.policy.default_purpose,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
    )
    return RequestList(items=[_out(v) for v in found])
