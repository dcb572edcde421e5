"""Complaints on the web: the board of everyone's cases by their next deadline, one case with
its steps and the forms for the moves its state allows, the printable final response letter,
and the customer's Complaints tab with an "Open a complaint" form.

Every change is a form with a CSRF token, answered by a redirect carrying a fixed notice
code; a form with a problem is shown again with what was typed and the problems, nothing
saved.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import chosen_purpose, container, summary_links
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.complaints import case_views as cases
from clientkeep.complaints import services as complaints
from clientkeep.complaints.model import ACCEPTED, CHECKLIST, CHECKLIST_LABELS, STATES
from clientkeep.customers import services as customers
from clientkeep.interactions.vocabulary import CHANNELS
from clientkeep.shared.errors import InvalidInput

router = APIRouter()
NOTICES = {
    "opened": "Done: the complaint is opened and its deadlines set.",
    "moved": "Done: the step is recorded.",
}
STEP_LABELS = {
    "acknowledge": "Acknowledge",
    "investigate": "Investigate",
    "escalate": "Escalate",
    "hold": "Put on hold",
    "release": "Take off hold",
    "close": "Close",
    "reopen": "Reopen",
    "note": "Add a note",
}
NEEDS_REASON = ("escalate", "hold", "reopen", "note")
CHANNEL_LABELS = {
    "phone": "Phone",
    "email": "Email",
    "in_person": "In person",
    "web": "Web",
    "letter": "Letter",
    "chat": "Chat",
}
OPEN_INPUTS = {
    "type": "Type",
    "summary": "What the customer complains of",
    "desired_outcome": "What they want done",
    "channel": "How it came",
}
MOVE_INPUTS = {
    "step": "Step",
    "reason": "Reason or note",
    "note": "Reason or note",
    "resolution": "Resolution",
    "checklist": "Checklist",
    "customer_accepted": "Did the customer accept it",
}


def _errors(bad: InvalidInput) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, message in bad.errors:
        found.setdefault(name.split(".")[0], message)
    return found


@router.get("/complaints")
def board_page(
    request: Request,
    staff: StaffDep,
    due: Annotated[str | None, Query(max_length=16)] = None,
    mine: Annotated[str | None, Query(max_length=4)] = None,
    type: Annotated[str | None, Query(max_length=32)] = None,
    state: Annotated[str | None, Query(max_length=16)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    c = container(request)
    rules = cases.rules_of(c.policy)
    chosen_due = due if due in cases.DUE_FILTERS else None
    chosen_type = type if type in rules.types else None
    chosen_state = state if state in STATES else None
    page = complaints.board(
        state=chosen_state,
        due=chosen_due,
        owner_id=staff.actor.id if mine else None,
        complaint_type=chosen_type,
        cursor=cursor,
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        clock=c.clock,
    )
    return render(
        request,
        "complaints/board.html",
        {
            "page": page,
            "due": chosen_due,
            "mine": bool(mine),
            "type": chosen_type,
            "state": chosen_state,
            "types": rules.types,
            "states": STATES,
            "words": complaints.status_words,
        },
    )


def _case_page(
    request: Request,
    staff: SignedInStaff,
    complaint_id: str,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, object] | None = None,
    status: int = 200,
) -> Response:
    c = container(request)
    view = complaints.complaint_detail(
        complaint_id, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    errors = errors or {}
    moves = [(m, STEP_LABELS[m]) for m in view.allowed_moves if m in STEP_LABELS]
    return render(
        request,
        "complaints/case.html",
        {
            "view": view,
            "notice": NOTICES.get(request.query_params.get("done", "")),
            "moves": moves,
            "needs_reason": NEEDS_REASON,
            "may_resolve": "resolve" in view.allowed_moves,
            "may_assign": "assign" in view.allowed_moves,
            "checklist": [(k, CHECKLIST_LABELS[k]) for k in CHECKLIST],
            "accepted": ACCEPTED,
            "words": complaints.status_words,
            "labels": CHANNEL_LABELS,
            "me": staff.actor.id,
            "typed": typed or {},
            "errors": errors,
            "error_links": summary_links(
                errors,
                {
                    "step": "step",
                    "reason": "reason",
                    "note": "reason",
                    "resolution": "resolution",
                    "checklist": "check_listened",
                    "customer_accepted": "accepted_yes",
                },
                MOVE_INPUTS,
            ),
        },
        status=status,
    )


@router.get("/complaints/{complaint_id}")
def case_page(request: Request, staff: StaffDep, complaint_id: str) -> Response:
    return _case_page(request, staff, complaint_id)


@router.post("/complaints/{complaint_id}/steps")
async def take_step(request: Request, staff: StaffDep, complaint_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    step = str(form.get("step", ""))[:16]
    reason = str(form.get("reason", ""))[: cases.NOTE_MAX + 1]
    resolution = str(form.get("resolution", ""))[: cases.TEXT_MAX + 1]
    ticked = {str(v)[:32] for v in form.getlist("checklist")}
    accepted = str(form.get("customer_accepted", ""))[:8] or None
    owner = str(form.get("owner", ""))[:8]
    try:
        complaints.move(
            complaint_id,
            complaints.MoveComplaint(
                step=step,
                note=reason,
                resolution=resolution,
                checklist={k: k in ticked for k in CHECKLIST} if step == "resolve" else None,
                customer_accepted=accepted,
                owner_id=staff.actor.id if owner == "me" else None,
            ),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
        )
    except InvalidInput as bad:
        typed: dict[str, object] = {
            "step": step,
            "reason": reason,
            "resolution": resolution,
            "checklist": sorted(ticked),
            "customer_accepted": accepted,
        }
        return _case_page(
            request, staff, complaint_id, errors=_errors(bad), typed=typed, status=422
        )
    return RedirectResponse(f"/complaints/{complaint_id}?done=moved", status_code=303)


@router.get("/complaints/{complaint_id}/final-response")
def letter_page(request: Request, staff: StaffDep, complaint_id: str) -> Response:
    c = container(request)
    text = complaints.final_response(
        complaint_id,
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        clock=c.clock,
        renderer=c.complaint_letters,
    )
    page = render(request, "complaints/letter.html", {"complaint_id": complaint_id, "letter": text})
    page.headers["Cache-Control"] = "no-store"
    return page


def _customer_page(
    request: Request,
    staff: SignedInStaff,
    customer_id: str,
    purpose: str,
    *,
    typed: dict[str, object] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    c = container(request)
    rules = cases.rules_of(c.policy)
    view = customers.read(
        customer_id, purpose=purpose, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    found = complaints.customer_complaints(
        customer_id, purpose=purpose, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    errors = errors or {}
    return render(
        request,
        "complaints/customer.html",
        {
            "customer_id": customer_id,
            "view": view,
            "purpose": purpose,
            "complaints_purpose": rules.purpose,
            "cases": found,
            "types": rules.types,
            "channels": [(ch, CHANNEL_LABELS.get(ch, ch)) for ch in CHANNELS],
            "words": complaints.status_words,
            "notice": NOTICES.get(request.query_params.get("done", "")),
            "typed": typed or {},
            "errors": errors,
            "error_links": summary_links(
                errors,
                {
                    "type": f"type_{next(iter(rules.types))}",
                    "summary": "summary",
                    "desired_outcome": "desired_outcome",
                    "channel": "channel",
                    "purpose": "summary",
                },
                OPEN_INPUTS,
            ),
        },
        status=status,
    )


@router.get("/customers/{customer_id}/complaints")
def customer_page(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    c = container(request)
    return _customer_page(request, staff, customer_id, chosen_purpose(c, staff, purpose))


@router.post("/customers/{customer_id}/complaints")
async def open_complaint(request: Request, staff: StaffDep, customer_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", "")) or None)
    typed: dict[str, object] = {
        k: str(form.get(k, ""))[: cases.SUMMARY_MAX + 1] for k in OPEN_INPUTS
    }
    try:
        made = complaints.open_complaint(
            complaints.OpenComplaint(
                customer_id=customer_id,
                type=str(typed["type"]),
                summary=str(typed["summary"]),
                desired_outcome=str(typed["desired_outcome"]),
                channel=str(typed["channel"]),
            ),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
        )
    except InvalidInput as bad:
        return _customer_page(
            request, staff, customer_id, purpose, typed=typed, errors=_errors(bad), status=422
        )
    return RedirectResponse(f"/complaints/{made.id}?done=opened", status_code=303)
