"""Finding a customer and reading their record for a purpose."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import (
    chosen_purpose,
    container,
    done_notice,
    purposes_for,
)
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep, check_csrf
from clientkeep.customers import services as customers
from clientkeep.customers.views import CustomerView
from clientkeep.matching import search as matching
from clientkeep.matching.model import Match
from clientkeep.shared.errors import InvalidInput

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


@router.get("/{customer_id}")
def customer_page(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    view = customers.read(
        customer_id, purpose=chosen, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    return customer_screen(request, staff, view, done=request.query_params.get("done"))


def customer_screen(
    request: Request,
    staff: StaffDep,
    view: CustomerView,
    *,
    done: str | None = None,
    duplicates: list[Match] | None = None,
    status: int = 200,
) -> Response:
    c = container(request)
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
) -> Response:
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    changes = customers.history(
        customer_id, purpose=chosen, uow=c.uow(), actor=staff.actor, policy=c.policy
    )
    return render(
        request,
        "records/history.html",
        {
            "customer_id": customer_id,
            "purpose": chosen,
            "changes": changes,
            "labels": {n: f.label for n, f in c.policy.fields.items()},
        },
    )
