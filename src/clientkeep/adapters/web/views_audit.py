"""The audit trail on the web, for the data protection lead: filter, page, chart, export."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from clientkeep.adapters.http.routers.audit import csv_response, people
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep, check_csrf
from clientkeep.audit import services as audit
from clientkeep.audit.actions import action_name
from clientkeep.audit.model import SHOWN, Outcome, VerifyResult
from clientkeep.audit.via import via
from clientkeep.bootstrap import Container
from clientkeep.shared.errors import InvalidInput
from clientkeep.staff.directory import Directory

router = APIRouter(prefix="/audit")
PAGE_SIZE = 50
# Each filter's control on the page, by the field an error names.
_CONTROLS = {
    "customer_id": "filter-customer",
    "actor_id": "filter-staff",
    "action": "filter-action",
    "outcome": "filter-outcome",
    "purpose": "filter-purpose",
    "from": "filter-from",
    "to": "filter-to",
}
_FORM = "audit-filters"

Text = Annotated[str | None, Query(max_length=64)]
When = Annotated[str | None, Query(max_length=40)]


def _filters(**given: str | None) -> dict[str, str]:
    """The filters asked for, as the page's links carry them (blank ones left out)."""
    return {name: value.strip() for name, value in given.items() if value and value.strip()}


def _query(filters: dict[str, str], **cursor: Any) -> audit.AuditQuery:
    return audit.AuditQuery(
        customer_id=filters.get("customer_id"),
        actor_id=filters.get("actor_id"),
        action=filters.get("action"),
        outcome=filters.get("outcome"),
        purpose=filters.get("purpose"),
        since=filters.get("from"),
        until=filters.get("to"),
        **cursor,
    )


@router.get("")
def list_audit(
    request: Request,
    staff: StaffDep,
    after: Annotated[int, Query(ge=0)] = 0,
    before: Annotated[int | None, Query(ge=1)] = None,
    customer_id: Text = None,
    actor_id: Text = None,
    action: Text = None,
    outcome: Text = None,
    purpose: Text = None,
    since: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    until: Annotated[str | None, Query(alias="to", max_length=40)] = None,
) -> Response:
    c: Container = request.app.state.container
    filters = _filters(
        customer_id=customer_id,
        actor_id=actor_id,
        action=action,
        outcome=outcome,
        purpose=purpose,
        **{"from": since, "to": until},
    )
    names = people(c)
    try:
        page = audit.read_page(
            _query(filters, after_seq=after, before_seq=before, limit=PAGE_SIZE),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            chart_until=c.clock.now().date(),
        )
    except InvalidInput as exc:
        errors = {field: message for field, message in exc.errors}
        context = _context(c, names, None, filters=filters, errors=errors)
        return render(request, "audit/list.html", context, status=422)
    return render(request, "audit/list.html", _context(c, names, page, filters=filters))


@router.get("/export.csv")
def export_audit(
    request: Request,
    staff: StaffDep,
    customer_id: Text = None,
    actor_id: Text = None,
    action: Text = None,
    outcome: Text = None,
    purpose: Text = None,
    since: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    until: Annotated[str | None, Query(alias="to", max_length=40)] = None,
) -> Response:
    # Bad filters cannot reach here from the page (it offers export only for a page shown),
    # so they are the generic error page's to explain.
    filters = _filters(
        customer_id=customer_id,
        actor_id=actor_id,
        action=action,
        outcome=outcome,
        purpose=purpose,
        **{"from": since, "to": until},
    )
    return csv_response(request.app.state.container, _query(filters), staff.actor)


@router.post("/verify")
def verify_audit(
    request: Request, staff: StaffDep, csrf_token: Annotated[str | None, Form()] = None
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c: Container = request.app.state.container
    result = audit.verify_as(staff.actor, uow=c.uow(), policy=c.policy)
    page = audit.read_page(
        audit.AuditQuery(limit=PAGE_SIZE),
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        chart_until=c.clock.now().date(),
    )
    return render(request, "audit/list.html", _context(c, people(c), page, verified=result))


def _context(
    c: Container,
    names: Directory,
    page: audit.AuditPage | None,
    *,
    filters: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    verified: VerifyResult | None = None,
) -> dict[str, Any]:
    filters = filters or {}
    errors = errors or {}
    events = page.events if page is not None else []
    # Each event with how its actor acted, who they are and what the action means.
    rows = [
        (e, via(e.entry.credential), names.label(e.entry.actor_id), action_name(e.entry.action))
        for e in events
    ]
    chart = page.chart if page is not None else None
    chart_rows = (
        sorted(((names.label(a), counts) for a, counts in chart.counts.items()))
        if chart is not None
        else []
    )
    staff_choices = sorted((p.label, p.id) for p in names.people.values())
    return {
        "page": page,
        "rows": rows,
        "filters": filters,
        "errors": errors,
        "controls": _CONTROLS,
        "error_links": [(_CONTROLS.get(f, _FORM), m) for f, m in errors.items()],
        "links": _links(page, filters),
        "staff_choices": [*staff_choices, (names.label("system"), "system")],
        "action_choices": audit.action_choices(),
        "outcome_choices": [o.value for o in Outcome],
        "purpose_choices": sorted(c.policy.purposes),
        "chart": chart,
        "chart_rows": chart_rows,
        "verified": verified,
        "breakable": breakable,
        # Listed in the Customer column with the event's own customer, not as detail.
        "shown_key": SHOWN,
    }


def _links(page: audit.AuditPage | None, filters: dict[str, str]) -> dict[str, str | None]:
    def href(path: str = "/audit", **cursor: int) -> str:
        query = urlencode({**filters, **{k: str(v) for k, v in cursor.items()}})
        return f"{path}?{query}" if query else path

    return {
        "newest": href() if page is not None and page.newer is not None else None,
        "newer": href(after=page.newer) if page is not None and page.newer is not None else None,
        "older": href(before=page.older) if page is not None and page.older else None,
        "export": href("/audit/export.csv"),
    }


# Runs of up to 12 characters, each with the '.', '_' or ':' that ends it.
_PIECES = re.compile(r"[^._:]{1,12}[._:]?|[._:]")


def breakable(text: str) -> Markup:
    """The text, escaped, with places a long id or dotted name may wrap (<wbr>), so ten
    columns of them fit 1280 pixels; copying or searching the page is unchanged."""
    return Markup("<wbr>").join(_PIECES.findall(text))
