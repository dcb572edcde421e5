"""Finding a customer, listing customers a page at a time, and reading a record for a purpose.

Under a caller-facing purpose the record's contact and identity details stay hidden until this
member of staff has verified the caller (``verification.masking``); staff working away from the
phone may show them for one page view, saying why, which is recorded."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import (
    chosen_purpose,
    container,
    done_notice,
    purposes_for,
    reveal_asked,
)
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep, check_csrf
from clientkeep.customers import listing
from clientkeep.customers import services as customers
from clientkeep.customers.views import CustomerView
from clientkeep.matching import search as matching
from clientkeep.matching.model import Match
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.verification import masking
from clientkeep.verification.model import Verification

router = APIRouter(prefix="/customers")


@router.get("")
def search_page(request: Request, staff: StaffDep) -> Response:
    c = container(request)
    purpose = chosen_purpose(c, staff, request.query_params.get("purpose"))
    return render(
        request,
        "records/search.html",
        {
            "purposes": purposes_for(c, staff),
            "purpose": purpose,
            "query": "",
            "result": None,
            "error": None,
        },
    )


@router.post("/search")
def search(
    request: Request,
    staff: StaffDep,
    query: Annotated[str, Form(max_length=256)] = "",
    purpose: Annotated[str, Form(max_length=64)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = container(request)
    purpose = chosen_purpose(c, staff, purpose)
    context: dict[str, object] = {
        "purposes": purposes_for(c, staff),
        "purpose": purpose,
        "query": query,
        "result": None,
        "error": None,
    }
    try:
        context["result"] = matching.search(
            matching.SearchQuery(purpose=purpose, kind="any", text=query),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
        )
    except InvalidInput as exc:
        context["error"] = exc.errors[0][1]
        return render(request, "records/search.html", context, status=422)
    return render(request, "records/search.html", context)


# How the list screen names each order, in its controls and its table's caption.
SORT_LABELS = {
    "updated": "Last changed",
    "created": "Date added",
    "needs_review": "Needing review first",
}
ORDER_LABELS = {"desc": "Newest first", "asc": "Oldest first"}
SORT_CAPTIONS = {
    "updated": "when last changed",
    "created": "date added",
    "needs_review": "those needing review first, then when last changed",
}
Flag = Annotated[str | None, Query(max_length=3)]


@router.get("/list")
def list_page(
    request: Request,
    staff: StaffDep,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
    sort: Annotated[str, Query(max_length=16)] = "updated",
    order: Annotated[str, Query(max_length=4)] = "desc",
    cursor: Annotated[str | None, Query(max_length=256)] = None,
    needs_review: Flag = None,
    by_name: Flag = None,
) -> Response:
    """The customers a page at a time. Every control is a link or a GET form, so a reload or
    the back button shows a page again and changes nothing."""
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    query = listing.ListQuery(
        purpose=chosen,
        sort=sort,
        order=order,
        cursor=cursor or None,
        needs_review=needs_review == "1",
        page_by_name=by_name == "1",
    )
    # The list's own settings, carried by every link it offers (never a personal value).
    settings = {
        "purpose": chosen,
        "sort": sort if sort in SORT_LABELS else "updated",
        "order": order if order in ORDER_LABELS else "desc",
        **({"needs_review": "1"} if query.needs_review else {}),
        **({"by_name": "1"} if query.page_by_name else {}),
    }
    context: dict[str, object] = {
        "purposes": purposes_for(c, staff),
        "purpose": chosen,
        "settings": settings,
        "sorts": SORT_LABELS,
        "captions": SORT_CAPTIONS,
        "orders": ORDER_LABELS,
        "page": None,
        "error": None,
        "links": {},
        "labels": {n: f.label for n, f in c.policy.fields.items()},
    }
    status = 200
    try:
        page = listing.list_customers(
            query, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
        )
    except InvalidInput as exc:
        context["error"] = "; ".join(message for _, message in exc.errors)
        status = 422
    except PermissionDenied as exc:
        context["error"] = exc.message
        status = 403
    else:
        context["page"] = page
        context["links"] = {
            "next": _list_link({**settings, "cursor": page.next_cursor})
            if page.next_cursor
            else None,
            "prev": _list_link({**settings, "cursor": page.prev_cursor})
            if page.prev_cursor
            else None,
            "first": _list_link(settings) if page.prev_cursor else None,
            "by_name": _list_link(
                {**settings, "by_name": "1", **({"cursor": cursor} if cursor else {})}
            ),
            "stored_order": _list_link(
                {
                    **{k: v for k, v in settings.items() if k != "by_name"},
                    **({"cursor": cursor} if cursor else {}),
                }
            ),
        }
    return render(request, "records/list.html", context, status=status)


def _list_link(params: Mapping[str, str | None]) -> str:
    return "/customers/list?" + urlencode({k: v for k, v in params.items() if v is not None})


# How the verified banner names each way of checking a caller.
METHOD_WORDS = {"knowledge": "the details they stated", "one_time_code": "a one-time code"}
REVEAL_LABEL = "Show details: I am not speaking to the customer"


def _read(
    request: Request, staff: StaffDep, customer_id: str, purpose: str, reveal: str | None = None
) -> masking.CallerView:
    c = container(request)
    return masking.read_for_caller(
        customer_id,
        purpose=purpose,
        reveal=reveal,
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        clock=c.clock,
    )


@router.get("/{customer_id}")
def customer_page(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    caller = _read(request, staff, customer_id, chosen)
    return customer_screen(
        request, staff, caller.view, caller=caller, done=request.query_params.get("done")
    )


@router.post("/{customer_id}/reveal")
def reveal(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str, Form(max_length=64)] = "",
    reason: Annotated[str, Form(max_length=32)] = "",
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    """The hidden details, for this page view only (answered here, not redirected: a later
    visit to the page hides them again), for a member working away from the phone."""
    check_csrf(staff.session.csrf_token, csrf_token)
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    try:
        caller = _read(request, staff, customer_id, chosen, reveal=reason)
    except InvalidInput as bad:
        caller = _read(request, staff, customer_id, chosen)
        return customer_screen(
            request, staff, caller.view, caller=caller, reveal_error=bad.errors[0][1], status=422
        )
    return customer_screen(request, staff, caller.view, caller=caller)


def _banner(proof: Verification | None) -> str | None:
    """ "Caller verified by a one-time code at 09:30 UTC, until 09:45 UTC"."""
    if proof is None or proof.expires_at is None:
        return None
    who = "Representative" if proof.representative_id else "Caller"
    how = METHOD_WORDS.get(proof.method.value, proof.method.value.replace("_", " "))
    return f"{who} verified by {how} at {proof.at:%H:%M} UTC, until {proof.expires_at:%H:%M} UTC"


def customer_screen(
    request: Request,
    staff: StaffDep,
    view: CustomerView,
    *,
    caller: masking.CallerView | None = None,
    done: str | None = None,
    duplicates: list[Match] | None = None,
    reveal_error: str | None = None,
    status: int = 200,
) -> Response:
    c = container(request)
    hidden = dict(caller.hidden) if caller else {}
    # Every detail the purpose shows, in policy order: its value, or None where it is hidden.
    rows = [
        (name, view.fields.get(name), hidden.get(name))
        for name in c.policy.fields
        if name in view.fields or name in hidden
    ]
    return render(
        request,
        "records/customer.html",
        {
            "view": view,
            "purpose": view.purpose,
            "purposes": purposes_for(c, staff),
            "methods": customers.CONFIRM_METHODS,
            "notice": done_notice(done),
            "duplicates": duplicates or [],
            "rows": rows,
            "hidden": hidden,
            # Verified, yet some details hidden: a representative, told only their scope.
            "outside_scope": bool(caller and caller.proof and hidden),
            "banner": _banner(caller.proof if caller else None),
            "revealed": masking.REVEAL_REASONS.get(caller.revealed or "") if caller else None,
            # The Edit tab opens revealed too, for the same reason (recorded again there).
            "reveal_code": caller.revealed if caller else None,
            "reveal_reasons": masking.REVEAL_REASONS,
            "reveal_label": REVEAL_LABEL,
            "reveal_error": reveal_error,
        },
        status=status,
    )


@router.post("/{customer_id}/confirm")
def confirm(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str, Form(max_length=64)] = "",
    method: Annotated[str, Form(max_length=16)] = "",
    fields: Annotated[list[str] | None, Form()] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = container(request)
    purpose = chosen_purpose(c, staff, purpose)
    customers.confirm(
        customer_id,
        list(fields or []),
        method,
        purpose=purpose,
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        clock=c.clock,
    )
    return RedirectResponse(
        f"/customers/{customer_id}?purpose={purpose}&done=confirmed", status_code=303
    )


@router.get("/{customer_id}/history")
def history(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
    reveal: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    # Under a caller-facing purpose, the changes of a detail the Details tab hides until the
    # caller is verified are left out too: their values are that detail.
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    caller = masking.history_for_caller(
        customer_id,
        purpose=chosen,
        reveal=reveal_asked(request, reveal),
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        clock=c.clock,
    )
    return render(
        request,
        "records/history.html",
        {
            "customer_id": customer_id,
            "purpose": chosen,
            "changes": caller.entries,
            "hidden": caller.hidden,
            "outside_scope": bool(caller.proof and caller.hidden),
            "reveal_code": caller.revealed,
            "labels": {n: f.label for n, f in c.policy.fields.items()},
        },
    )
