"""The written reply to a disclosure: the letter to print, and emailing what was told to the
address on the record. Both are the member's own disclosure, while what it rested on holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import chosen_purpose, container
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep, check_csrf
from clientkeep.verification import replies

router = APIRouter(prefix="/customers")


@router.get("/{customer_id}/disclosures/{disclosure_id}/letter")
def letter_page(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    disclosure_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    c = container(request)
    reply = replies.letter(
        customer_id,
        disclosure_id,
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        clock=c.clock,
        renderer=c.replies.renderer,
    )
    return render(
        request,
        "records/letter.html",
        {
            "customer_id": customer_id,
            "disclosure_id": disclosure_id,
            "purpose": chosen_purpose(c, staff, purpose),
            "reply": reply,
        },
    )


@router.post("/{customer_id}/disclosures/{disclosure_id}/email")
async def email_reply(
    request: Request, staff: StaffDep, customer_id: str, disclosure_id: str
) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", "")))
    replies.email_reply(
        customer_id,
        disclosure_id,
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        clock=c.clock,
        tools=c.replies,
    )
    return RedirectResponse(
        f"/customers/{customer_id}/disclosures/{disclosure_id}?purpose={purpose}&emailed=1", 303
    )
