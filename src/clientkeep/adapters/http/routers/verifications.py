"""Verifying a caller over REST: the agent sends what the caller said, or has a one-time code
sent to the contact details on record and sends the code the caller reads out; the answer is
only whether it was enough. Stored values, codes, addresses, and which answer was wrong,
never leave the service."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import Field, StringConstraints

from clientkeep.adapters.http.customer_records_schemas import Strict
from clientkeep.adapters.http.deps import ActorDep, ContainerDep
from clientkeep.shared.errors import InvalidInput
from clientkeep.verification import one_time_codes as codes
from clientkeep.verification import representatives as reps
from clientkeep.verification import services as verification
from clientkeep.verification.kinds import PURPOSE

router = APIRouter(prefix="/customers", tags=["verification"])
Answer = Annotated[str, StringConstraints(max_length=200)]
AnswerName = Annotated[str, StringConstraints(max_length=64)]
Purpose = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class KnowledgeIn(Strict):
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


class OneTimeCodeIn(Strict):
    method: Literal["one_time_code"]
    channel: Literal["email", "sms"] | None = Field(
        None,
        description=(
            "Send a new code to the customer's email address or phone number on record "
            "(never to one the caller gives). Give this or code, not both."
        ),
    )
    code: Annotated[str, StringConstraints(max_length=16)] | None = Field(
        None, description="Check the code the caller reads out (6 digits)."
    )
    purpose: Purpose = PURPOSE


class RepresentativeCheckIn(Strict):
    method: Literal["representative"]
    representative_id: Annotated[str, StringConstraints(min_length=1, max_length=64)] = Field(
        description="An approved, unexpired representative of this customer."
    )
    answers: dict[AnswerName, Answer] = Field(
        max_length=10,
        description=(
            "What the caller said about THEMSELVES (the representative, not the customer), by "
            "answer name: by default date_of_birth, postcode and phone_last_four."
        ),
    )
    purpose: Purpose = PURPOSE


VerificationIn = Annotated[
    KnowledgeIn | OneTimeCodeIn | RepresentativeCheckIn, Field(discriminator="method")
]


class CodeSentOut(Strict):
    sent: bool
    channel: str
    expires_at: datetime
    hint: str | None = Field(
        None,
        description=(
            "Where it went, masked (a***@example.com), where the message's purpose shows you "
            "that field."
        ),
    )


class VerificationOut(Strict):
    verified: bool
    verification_id: str | None = Field(
        None, description="Quote it to disclose or change anything for this caller."
    )
    expires_at: datetime | None = None
    attempts_left: int | None = Field(
        None, description="After a failure: attempts left before the customer's checks lock."
    )

    @classmethod
    def of(cls, result: verification.CheckResult) -> VerificationOut:
        return cls(
            verified=result.verified,
            verification_id=result.verification_id,
            expires_at=result.expires_at,
            attempts_left=result.attempts_left,
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
    response_model=VerificationOut | CodeSentOut,
    response_model_exclude_none=True,
    summary=(
        "Check that a caller is the customer, from what they state or a one-time code; or "
        "send them a code"
    ),
    responses=LOCKED,
)
def verify(
    customer_id: str, body: VerificationIn, actor: ActorDep, c: ContainerDep
) -> VerificationOut | CodeSentOut:
    if isinstance(body, OneTimeCodeIn):
        return _one_time_code(customer_id, body, actor, c)
    if isinstance(body, RepresentativeCheckIn):
        done = reps.check_representative(
            customer_id,
            reps.RepresentativeCheck(
                representative_id=body.representative_id,
                answers=body.answers,
                purpose=body.purpose,
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
        return VerificationOut.of(done)
    done = verification.check_knowledge(
        customer_id,
        verification.KnowledgeCheck(answers=body.answers, purpose=body.purpose),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return VerificationOut.of(done)


def _one_time_code(
    customer_id: str, body: OneTimeCodeIn, actor: ActorDep, c: ContainerDep
) -> VerificationOut | CodeSentOut:
    if (body.channel is None) == (body.code is None):
        raise InvalidInput(
            [("channel", "Give a channel to send a code, or the code to check one; not both.")]
        )
    if body.channel is not None:
        sent = codes.send_code(
            customer_id,
            codes.SendCode(channel=body.channel, purpose=body.purpose),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            codes=c.one_time_codes,
        )
        return CodeSentOut(
            sent=True, channel=sent.channel, expires_at=sent.expires_at, hint=sent.hint
        )
    assert body.code is not None
    done = codes.check_code(
        customer_id,
        codes.CodeCheck(code=body.code, purpose=body.purpose),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
        codes=c.one_time_codes,
    )
    return VerificationOut.of(done)


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
