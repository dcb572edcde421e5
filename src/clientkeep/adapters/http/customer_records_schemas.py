"""Request and response bodies for customer records. Responses are allow-lists."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from clientkeep.customers.listing import CustomerPage, ListedCustomer
from clientkeep.customers.model import CALLER_CHANNELS, INTERNAL_SOURCES
from clientkeep.customers.views import CustomerView
from clientkeep.matching.model import Match

_CALLER = ", ".join(s.value for s in CALLER_CHANNELS)
_INTERNAL = ", ".join(s.value for s in INTERNAL_SOURCES)
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
    on_behalf_of_customer: bool = Field(
        False,
        description=(
            "True when the caller asked for this change: it then needs verification_id, a "
            "passed check of this caller, run by you, about this customer, still valid (for a "
            "representative, covering the fields changed and the action update); without one "
            "the answer is 403 not-verified and nothing is written. False (the default) for an "
            "internal correction, which must say where it came from in source."
        ),
    )
    verification_id: Annotated[str, StringConstraints(max_length=64)] | None = Field(
        None, description="With on_behalf_of_customer: the verification the change rests on."
    )
    source: Annotated[str, StringConstraints(max_length=16)] | None = Field(
        None,
        description=(
            "Where the change came from. On behalf of the customer: one of "
            f"{_CALLER} (phone if not given). An internal correction must give one of "
            f"{_INTERNAL} (returned_post: a letter came back undelivered; internal_records: "
            "another system of ours; post and email: a letter or an email from the "
            "customer); a caller channel is refused there with a 422 on source, since a "
            "change the caller asks for needs on_behalf_of_customer and a verification."
        ),
    )
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


ReferenceOut = Annotated[
    str | None,
    Field(description="The reference the customer quotes, where the purpose shows it."),
]
BirthYearOut = Annotated[
    int | None,
    Field(description="The year of birth (never the whole date), where the purpose shows it."),
]


class MatchOut(BaseModel):
    """Enough to tell two people of the same name apart, and no more."""

    id: str
    display_name: str
    postcode_district: str | None
    reference: ReferenceOut
    birth_year: BirthYearOut
    reasons: list[str]
    score: float

    @classmethod
    def of(cls, m: Match) -> MatchOut:
        return cls(
            id=m.customer_id,
            display_name=m.display_name,
            postcode_district=m.postcode_district,
            reference=m.reference,
            birth_year=m.birth_year,
            reasons=list(m.reasons),
            score=m.score,
        )


class ListedOut(BaseModel):
    id: str
    display_name: str
    postcode_district: str | None
    reference: ReferenceOut
    birth_year: BirthYearOut
    created_at: datetime
    updated_at: datetime
    needs_review: bool = Field(
        description="A detail is past its confirmation period, or a duplicate is suspected."
    )
    stale_fields: list[str] = Field(
        description="Details past their confirmation period that this purpose shows."
    )
    other_stale: int = Field(description="How many more are, among details it does not show.")
    suspected_duplicate: bool

    @classmethod
    def of(cls, item: ListedCustomer) -> ListedOut:
        return cls(
            id=item.customer_id,
            display_name=item.display_name,
            postcode_district=item.postcode_district,
            reference=item.reference,
            birth_year=item.birth_year,
            created_at=item.created_at,
            updated_at=item.updated_at,
            needs_review=item.needs_review,
            stale_fields=list(item.stale_fields),
            other_stale=item.other_stale,
            suspected_duplicate=item.suspected_duplicate,
        )


class CustomerPageOut(BaseModel):
    items: list[ListedOut]
    # Further on in the list's order; None at its end.
    next_cursor: str | None
    # Back towards its start; None on the first page.
    prev_cursor: str | None = None

    @classmethod
    def of(cls, page: CustomerPage) -> CustomerPageOut:
        return cls(
            items=[ListedOut.of(i) for i in page.items],
            next_cursor=page.next_cursor,
            prev_cursor=page.prev_cursor,
        )


class CustomerOut(BaseModel):
    id: str
    purpose: str
    display_name: str
    reference: ReferenceOut
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
            reference=view.reference.value if view.reference else None,
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
