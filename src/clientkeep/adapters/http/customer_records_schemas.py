"""Request and response bodies for customer records. Responses are allow-lists."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clientkeep.customers.views import CustomerView
from clientkeep.matching.model import Match

Value = Annotated[str, StringConstraints(max_length=4096)]
FieldName = Annotated[str, StringConstraints(max_length=64)]
Purpose = Annotated[str, StringConstraints(min_length=1, max_length=64)]
AcceptUnlisted = Annotated[
    list[FieldName],
    Field(
        default_factory=list,
        max_length=10,
        description=(
            "Phone fields whose number you read back to the customer and want kept although "
            "it is in no range known to be in use (Ofcom's drama ranges, pagers, new ranges). "
            "Without it such a number is refused with a 422 problem of type "
            "unlisted-phone-number naming the field; send the request again with the field "
            "named here to keep it. The record then shows the number as unlisted."
        ),
    ),
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class CustomerCreate(Strict):
    purpose: Purpose
    fields: dict[FieldName, Value] = Field(max_length=50)
    source: Annotated[str, StringConstraints(max_length=16)]
    confirmed_with_customer: bool = False
    explicit_consent: list[FieldName] = Field(default_factory=list, max_length=50)
    accept_unlisted_phones: AcceptUnlisted


class CustomerUpdate(Strict):
    purpose: Purpose
    fields: dict[FieldName, Value | None] = Field(max_length=50)
    reason: Annotated[str, StringConstraints(max_length=500)]
    source: Annotated[str, StringConstraints(max_length=16)] = "phone"
    confirmed_with_customer: bool = False
    explicit_consent: list[FieldName] = Field(default_factory=list, max_length=50)
    accept_unlisted_phones: AcceptUnlisted


class Confirmation(Strict):
    fields: list[FieldName] = Field(min_length=1, max_length=50)
    method: Annotated[str, StringConstraints(max_length=16)]
    # Absent: the policy's default purpose.
    purpose: Purpose | None = None


class Search(Strict):
    purpose: Purpose
    email: Value | None = None
    phone: Value | None = None
    postcode: Value | None = None
    name: Value | None = None
    reference: Value | None = None
    query: Value | None = None
    limit: int = Field(10, ge=1, le=50)


class FieldDetail(BaseModel):
    display: str
    source: str
    updated_at: datetime
    confirmed_at: datetime | None
    confirmed_method: str | None
    stale: bool
    unlisted: bool = Field(
        description="A phone number kept although it is in no range known to be in use."
    )


class MatchOut(BaseModel):
    id: str
    display_name: str
    postcode_district: str | None
    reasons: list[str]
    score: float

    @classmethod
    def of(cls, m: Match) -> MatchOut:
        return cls(
            id=m.customer_id,
            display_name=m.display_name,
            postcode_district=m.postcode_district,
            reasons=list(m.reasons),
            score=m.score,
        )


class CustomerOut(BaseModel):
    id: str
    purpose: str
    display_name: str
    created_at: datetime
    updated_at: datetime
    fields: dict[str, str]
    field_details: dict[str, FieldDetail]

    @classmethod
    def of(cls, view: CustomerView) -> CustomerOut:
        return cls(
            id=view.id,
            purpose=view.purpose,
            display_name=view.display_name,
            created_at=view.created_at,
            updated_at=view.updated_at,
            fields={n: f.value for n, f in view.fields.items()},
            field_details={
                n: FieldDetail(
                    display=f.display,
                    source=f.source,
                    updated_at=f.updated_at,
                    confirmed_at=f.confirmed_at,
                    confirmed_method=f.confirmed_method,
                    stale=f.stale,
                    unlisted=f.unlisted,
                )
                for n, f in view.fields.items()
            },
        )


class Created(CustomerOut):
    possible_duplicates: list[MatchOut]


class ChangeOut(BaseModel):
    id: str
    field: str
    kind: str
    old_value: str | None
    new_value: str | None
    # As the record shows them: phones in national format for the UK.
    old_display: str | None
    new_display: str | None
    reason: str
    changed_at: datetime
    changed_by: str
    changed_by_name: str = Field(description='Who, by name and role: "Kim New (supervisor)".')


class History(BaseModel):
    items: list[ChangeOut]


class SearchOut(BaseModel):
    kind: str
    items: list[MatchOut]
