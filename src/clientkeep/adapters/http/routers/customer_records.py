"""Customer records over REST: register, list, read for a purpose, search, correct, confirm
(merging is in routers/merge.py: preview, then confirm)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clientkeep.adapters.http.customer_records_schemas import (
    ChangeOut,
    Confirmation,
    Created,
    CustomerCreate,
    CustomerOut,
    CustomerPageOut,
    CustomerUpdate,
    History,
    MatchOut,
    Search,
    SearchOut,
)
from clientkeep.adapters.http.deps import ActorDep, ContainerDep, IdempotencyKeyDep
from clientkeep.customers import listing
from clientkeep.customers import services as customers
from clientkeep.matching import search as matching
from clientkeep.shared.errors import InvalidInput
from clientkeep.verification import caller_changes

router = APIRouter(prefix="/customers", tags=["customers"])
PurposeQuery = Annotated[
    str,
    Query(
        min_length=1, max_length=64, description="Why you are reading: a purpose from the policy"
    ),
]
SEARCH_KEYS = ("email", "phone", "postcode", "name", "reference", "query")
# What a client can act on: the problem's type names the case, its errors name the field.
INVALID_FIELDS: dict[int | str, dict[str, object]] = {
    422: {
        "description": (
            "A problem (application/problem+json) whose errors name each field at fault. "
            "Type unlisted-phone-number: every problem is a phone number in no range known "
            "to be in use; read it back to the customer and send the request again with its "
            "field in accept_unlisted_phones to keep it."
        )
    }
}


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=Created,
    summary="Register a customer for a purpose",
    responses=INVALID_FIELDS,
)
def register(
    body: CustomerCreate,
    actor: ActorDep,
    c: ContainerDep,
    response: Response,
    idempotency_key: IdempotencyKeyDep,
) -> Created:
    done = customers.register(
        customers.RegisterCustomer(
            purpose=body.purpose,
            fields=body.fields,
            source=body.source,
            confirmed_with_customer=body.confirmed_with_customer,
            explicit_consent=frozenset(body.explicit_consent),
            accept_unlisted_phones=frozenset(body.accept_unlisted_phones),
        ),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
        duplicates=c.duplicate_finder,
        idempotency_key=idempotency_key,
    )
    if done.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return Created(
        **CustomerOut.of(done.customer).model_dump(),
        possible_duplicates=[MatchOut.of(m) for m in done.possible_duplicates],
    )


DateQuery = Annotated[
    str | None, Query(max_length=10, description="a date such as 2026-11-23, included")
]


@router.get(
    "",
    response_model=CustomerPageOut,
    summary="List customers a page at a time, by last change, creation or needs-review first",
    description=(
        "Names are sealed per customer, so the book is ordered only by times and review "
        "status; `page_by_name` arranges the page itself by family name once it is chosen. "
        "`next_cursor` leads on in the list's order and `prev_cursor` back; a cursor is for "
        "the sort and order it came from. Each page is recorded, naming everyone it shows."
    ),
    responses={422: {"description": "A problem (application/problem+json) naming the field."}},
)
def list_customers(
    purpose: PurposeQuery,
    actor: ActorDep,
    c: ContainerDep,
    sort: Annotated[
        str, Query(max_length=16, description="updated, created or needs_review")
    ] = "updated",
    order: Annotated[str, Query(max_length=4, description="desc (newest first) or asc")] = "desc",
    cursor: Annotated[
        str | None, Query(max_length=256, description="next_cursor or prev_cursor of a page")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=listing.MAX_LIMIT)] = listing.DEFAULT_LIMIT,
    needs_review: Annotated[
        bool, Query(description="only those with a stale detail or a suspected duplicate")
    ] = False,
    stale: Annotated[bool, Query(description="only those with a stale detail")] = False,
    created_from: DateQuery = None,
    created_to: DateQuery = None,
    updated_from: DateQuery = None,
    updated_to: DateQuery = None,
    page_by_name: Annotated[
        bool, Query(description="arrange this page by family name (never the whole book)")
    ] = False,
) -> CustomerPageOut:
    page = listing.list_customers(
        listing.ListQuery(
            purpose=purpose,
            sort=sort,
            order=order,
            cursor=cursor,
            limit=limit,
            needs_review=needs_review,
            stale_only=stale,
            created_from=created_from,
            created_to=created_to,
            updated_from=updated_from,
            updated_to=updated_to,
            page_by_name=page_by_name,
        ),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return CustomerPageOut.of(page)


@router.post(
    "/search",
    response_model=SearchOut,
    summary="Find customers (a POST, so personal data never goes in a URL)",
)
def search(body: Search, actor: ActorDep, c: ContainerDep) -> SearchOut:
    given = [(k, getattr(body, k)) for k in SEARCH_KEYS if getattr(body, k) is not None]
    if len(given) != 1:
        raise InvalidInput(
            [
                (k, "Give exactly one of: " + ", ".join(SEARCH_KEYS) + ".")
                for k in (SEARCH_KEYS if not given else [k for k, _ in given])
            ]
        )
    key, text = given[0]
    found = matching.search(
        matching.SearchQuery(
            purpose=body.purpose, kind="any" if key == "query" else key, text=text, limit=body.limit
        ),
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
    )
    return SearchOut(kind=found.kind, items=[MatchOut.of(m) for m in found.matches])


@router.get(
    "/{customer_id}",
    response_model=CustomerOut,
    summary="Read a customer: only the purpose's fields your role may see",
)
def read(customer_id: str, purpose: PurposeQuery, actor: ActorDep, c: ContainerDep) -> CustomerOut:
    view = customers.read(
        customer_id, purpose=purpose, uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock
    )
    return CustomerOut.of(view)


@router.patch(
    "/{customer_id}",
    response_model=CustomerOut,
    summary="Correct a customer's details, with the reason",
    description=(
        "Two kinds of change. **The caller asked for it** (`on_behalf_of_customer: true`): "
        "give `verification_id`, from a passed check of this caller that you ran about this "
        "customer and that has not expired (a representative's covers only the fields and "
        "actions of their authority, and must cover update); without one the answer is 403 "
        "not-verified, nothing is written and the refusal is recorded. `source` is how they "
        "reached you: phone unless given, in_person or web. **An internal correction** "
        "(the default): say where it came from in `source` (returned_post, "
        "internal_records, post, email or import); a caller channel there is refused with "
        "a 422 on source. Either way the history keeps the old value, who, when and the "
        "reason, and the audit event names the source and any verification."
    ),
    responses={
        **INVALID_FIELDS,
        403: {
            "description": (
                "A problem of type not-verified: no verification of this caller, by you, "
                "about this customer, valid now (or outside a representative's authority)."
            )
        },
    },
)
def update(customer_id: str, body: CustomerUpdate, actor: ActorDep, c: ContainerDep) -> CustomerOut:
    if body.verification_id is not None and not body.on_behalf_of_customer:
        raise InvalidInput(
            [
                (
                    "verification_id",
                    "A verification is for a change the caller asks for: set "
                    "on_behalf_of_customer too, or leave it out for an internal correction.",
                )
            ]
        )
    cmd = customers.UpdateCustomer(
        purpose=body.purpose,
        fields=body.fields,
        reason=body.reason,
        source=body.source,
        confirmed_with_customer=body.confirmed_with_customer,
        explicit_consent=frozenset(body.explicit_consent),
        accept_unlisted_phones=frozenset(body.accept_unlisted_phones),
        on_behalf_of_customer=body.on_behalf_of_customer,
    )
    if body.on_behalf_of_customer:
        view = caller_changes.update_for_caller(
            customer_id,
            cmd,
            body.verification_id,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    else:
        view = customers.update(
            customer_id, cmd, uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock
        )
    return CustomerOut.of(view)


@router.get(
    "/{customer_id}/history",
    response_model=History,
    summary="Every change: when, who, why, old and new value",
)
def history(customer_id: str, purpose: PurposeQuery, actor: ActorDep, c: ContainerDep) -> History:
    changes = customers.history(
        customer_id, purpose=purpose, uow=c.uow(), actor=actor, policy=c.policy
    )
    return History(
        items=[
            ChangeOut(
                id=ch.id,
                field=ch.field,
                kind=ch.kind,
                old_value=ch.old_value,
                new_value=ch.new_value,
                old_display=ch.old_display,
                new_display=ch.new_display,
                reason=ch.reason,
                changed_at=ch.changed_at,
                changed_by=ch.changed_by,
                changed_by_name=ch.changed_by_name,
            )
            for ch in changes
        ]
    )


@router.post(
    "/{customer_id}/confirmations",
    response_model=CustomerOut,
    summary="Record that the customer confirmed these details are right",
)
def confirm(customer_id: str, body: Confirmation, actor: ActorDep, c: ContainerDep) -> CustomerOut:
    view = customers.confirm(
        customer_id,
        list(body.fields),
        body.method,
        purpose=body.purpose or c.policy.default_purpose,
        uow=c.uow(),
        actor=actor,
        policy=c.policy,
        clock=c.clock,
    )
    return CustomerOut.of(view)
