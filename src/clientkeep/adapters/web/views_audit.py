"""The audit trail on the web, for the data protection lead."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from markupsafe import Markup
from starlette.responses import Response

from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep, check_csrf
from clientkeep.audit import services as audit
from clientkeep.audit.model import SHOWN, VerifyResult
from clientkeep.audit.via import via

router = APIRouter(prefix="/audit")
PAGE_SIZE = 50


@router.get("")
def list_audit(
    request: Request,
    staff: StaffDep,
    after: Annotated[int, Query(ge=0)] = 0,
    action: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    c = request.app.state.container
    page = audit.read_page(
        audit.AuditQuery(after_seq=after, limit=PAGE_SIZE, action=action or None),
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
    )
    return render(request, "audit/list.html", _context(page, action=action or "", after=after))


@router.post("/verify")
def verify_audit(
    request: Request, staff: StaffDep, csrf_token: Annotated[str | None, Form()] = None
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = request.app.state.container
    result = audit.verify_as(staff.actor, uow=c.uow(), policy=c.policy)
    page = audit.read_page(
        audit.AuditQuery(limit=PAGE_SIZE), uow=c.uow(), actor=staff.actor, policy=c.policy
    )
    return render(request, "audit/list.html", _context(page, verified=result))


def _context(
    page: audit.AuditPage, *, action: str = "", after: int = 0, verified: VerifyResult | None = None
) -> dict[str, Any]:
    # Each event with how its actor acted (web, API token, command line, system).
    rows = [(event, via(event.entry.credential)) for event in page.events]
    return {
        "page": page,
        "rows": rows,
        "action": action,
        "after": after,
        "verified": verified,
        "breakable": breakable,
        # Listed in the Customer column with the event's own customer, not as detail.
        "shown_key": SHOWN,
    }


# Runs of up to 12 characters, each with the '.', '_' or ':' that ends it.
_PIECES = re.compile(r"[^._:]{1,12}[._:]?|[._:]")


def breakable(text: str) -> Markup:
    """The text, escaped, with places a long id or dotted name may wrap (<wbr>), so ten
    columns of them fit 1280 pixels; copying or searching the page is unchanged."""
    return Markup("<wbr>").join(_PIECES.findall(text))
