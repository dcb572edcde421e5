"""Telling a verified caller some of a customer's details over REST, and the log of every
disclosure. The values are in the one answer that discloses them; the log never holds them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import Field, StringConstraints

from clientkeep.adapters.http.customer_records_schemas import Strict
from clientkeep.adapters.http.deps import ActorDep, ContainerDep
from clientkeep.shared.errors import InvalidInput
from clientkeep.verification import disclosure as disclosures

router = APIRouter(prefix="/customers", tags=["disclosures"])
FieldName = Annotated[str, StringConstraints(min_length=1, max_length=64)]
Purpose = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class DisclosureIn(Strict):
    verification_id: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        None,
        description="From a passed check of this caller, run by you, about this customer. "
        "Give this or request_id, not both.",
    )
    request_id: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        None,
        description="An approved, unused third-party request about this customer whose "
        "approved fields include every field asked for. Give this or verification_id.",
    )
    purpose: Purpose | None = Field(
        None,
        description="The policy's default purpose if not given; with a request, its own.",
    )
    fields: list[FieldName] = Field(
        min_length=1,
        max_length=disclosures.FIELDS_MAX,
        description="Fields to tell the caller: only ones the purpose shows your role.",
    )
    channel: Literal["phone", "email", "letter", "in_person"]
    recipient: Annotated[str, StringConstraints(max_length=disclosures.RECIPIENT_MAX)] = Field(
        description='Who was told, in words ("the caller", "her son, with her permission").'
    )


class DisclosureOut(Strict):
    disclosure_id: str
    values: dict[str, str] = Field(description="Each field as the record displays it.")


class DisclosureEntry(Strict):
    id: str
    at: datetime
    by: str
    by_name: str
    recipient: str | None = Field(
        description="Who was told; null where the purpose read under does not show you every "
        "field told."
    )
    fields: list[str]
    channel: str
    purpose: str
    verification_id: str | None = Field(description="The verified caller it rested on, if so.")
    request_id: str | None = Field(description="The third-party request it answered, if so.")
    basis: str = Field(
        description='What it rested on, in words: "verified caller (ver_...)" or '
        '"third-party request tpr_... (basis), approved by NAME".'
    )


class DisclosureLog(Strict):
    items: list[DisclosureEntry]


@router.post(
    "/{customer_id}/disclosures",
    response_model=DisclosureOut,
    summary="Tell a verified caller some of the customer's details; logged and audited",
    responses={
        403: {
            "description": "No verification of this caller, by you, valid now; or no "
            "approved, unused third-party request about this customer covering the fields."
        }
    },
)
def disclose(
    customer_id: str, body: DisclosureIn, actor: ActorDep, c: ContainerDep
) -> DisclosureOut:
    if (body.verification_id is None) == (body.request_id is None):
        named = "request_id" if body.request_id is not None else "verification_id"
        raise InvalidInput([(named, "Give exactly one of verification_id and request_id.")])
    done = disclosures.disclose(
        customer_id,
        disclosures.Disclose(
            verification_id=body.verification_id,
            request_id=body.request_id,
            fields=body.fields,
            channel=body.channel,
            recipient=body.recipient,
            purpose=body.purpose,
        ),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return DisclosureOut(disclosure_id=done.disclosure_id, values=done.values)


@router.get(
    "/{customer_id}/disclosures",
    response_model=DisclosureLog,
    summary="The disclosure log: when, who, to whom, which fields, how, on what check",
)
def disclosure_log(
    customer_id: str,
    actor: ActorDep,
    c: ContainerDep,
    purpose: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> DisclosureLog:
    found = disclosures.disclosure_log(
        customer_id,
        purpose=purpose or c.policy.default_purpose,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
    )
    return DisclosureLog(
        items=[
            DisclosureEntry(
                id=d.id,
                at=d.at,
                by=d.by,
                by_name=d.by_name,
                recipient=d.recipient,
                fields=list(d.fields),
                channel=d.channel,
                purpose=d.purpose,
                verification_id=d.verification_id,
                request_id=d.request_id,
                basis=d.basis,
            )
            for d in found
        ]
    )
