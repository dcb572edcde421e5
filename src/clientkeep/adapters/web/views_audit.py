"""The audit trail on the web, for the data protection lead."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep, check_csrf
from clientkeep.audit import services as audit

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
    return render(
        request,
        "audit/list.html",
        {"page": page, "action": action or "", "after": after, "verified": None},
    )


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
    return render(
        request, "audit/list.html", {"page": page, "action": "", "after": 0, "verified": result}
    )
