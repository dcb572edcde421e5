"""Third parties' requests on the web: the supervisors' queue, one request with its decision
form, a "New request" form reached from the customer page, and, on an approved request,
"Disclose the approved fields", which records the disclosure and shows the values once.

Every change is a form with a CSRF token. A decision or a new request is answered by a
redirect carrying a fixed notice code. The disclosure's answer is the one page that shows the
values told: it is not redirected to a page that could read them again (the request is used
once), and no cache keeps it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import chosen_purpose, container, summary_links
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.customers import services as customers
from clientkeep.policy import APPROVE_DISCLOSURES
from clientkeep.shared.errors import InvalidInput
from clientkeep.verification import disclosure as disclosures
from clientkeep.verification import third_party
from clientkeep.verification.third_party_bases import BASES
from clientkeep.verification.third_party_model import STATUSES

router = APIRouter()
NOTICES = {
    "recorded": "Done: the request is recorded and waits for a decision.",
    "approved": "Done: approved.",
    "refused": "Done: refused.",
}
CHANNELS = (
    ("letter", "By letter"),
    ("email", "By email"),
    ("phone", "By phone"),
    ("in_person", "In person"),
)
REQUEST_INPUTS = {
    "requester": "Who is asking",
    "organisation": "Organisation",
    "identity_check": "How their identity and authority were checked",
    "basis": "Lawful basis",
    "reference": "Their reference",
    "reason": "What they say it is for",
    "fields": "Details asked for",
}


def _errors(bad: InvalidInput) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, message in bad.errors:
        found.setdefault(name.split(".")[0], message)
    return found


def _labels(request: Request) -> dict[str, str]:
    return {n: f.label for n, f in container(request).policy.fields.items()}


@router.get("/third-party-requests")
def queue_page(
    request: Request,
    staff: StaffDep,
    status: Annotated[str, Query(max_length=16)] = "pending",
    cursor: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    c = container(request)
    chosen = status if status in STATUSES else "pending"
    page = third_party.queue(
        status=chosen, cursor=cursor, uow=c.uow(), actor=staff.actor, policy=c.policy
    )
    return render(
        request,
        "third_party/queue.html",
        {
            "page": page,
            "status": chosen,
            "statuses": STATUSES,
            "bases": BASES,
            "labels": _labels(request),
        },
    )


def _request_page(
    request: Request,
    staff: SignedInStaff,
    request_id: str,
    *,
    errors: dict[str, str] | None = None,
    typed: dict[str, object] | None = None,
    status: int = 200,
) -> Response:
    c = container(request)
    view = third_party.request_detail(request_id, uow=c.uow(), actor=staff.actor, policy=c.policy)
    may_decide = (
        view.status == "pending"
        and c.policy.has_capability(staff.actor.role, APPROVE_DISCLOSURES)
        and view.created_by != staff.actor.id
    )
    labels = _labels(request)
    asked = [(n, f"approve_{n}", labels.get(n, n)) for n in view.fields]
    recipient = ""
    if view.details is not None:
        recipient = f"{view.details.requester}, {view.details.organisation}"
    errors = errors or {}
    return render(
        request,
        "third_party/request.html",
        {
            "view": view,
            "basis": BASES.get(view.basis),
            "labels": labels,
            "notice": NOTICES.get(request.query_params.get("done", "")),
            "may_decide": may_decide,
            "recorded_by_you": view.created_by == staff.actor.id,
            "asked": asked,
            "may_disclose": view.status == "approved" and view.disclosure_id is None,
            "channels": CHANNELS,
            "recipient": recipient,
            "typed": typed or {},
            "errors": errors,
            "error_links": summary_links(
                errors,
                {
                    "decision": "decision_approve",
                    "reason": "reason",
                    "fields": asked[0][1] if asked else "form",
                    "channel": "channel",
                    "recipient": "recipient",
                },
                {
                    "decision": "Decision",
                    "reason": "Reason",
                    "fields": "Details approved",
                    "channel": "How",
                    "recipient": "Told to",
                },
            ),
        },
        status=status,
    )


@router.get("/third-party-requests/{request_id}")
def request_page(request: Request, staff: StaffDep, request_id: str) -> Response:
    return _request_page(request, staff, request_id)


@router.post("/third-party-requests/{request_id}/decision")
async def decide(request: Request, staff: StaffDep, request_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    decision = str(form.get("decision", ""))[:16]
    reason = str(form.get("reason", ""))[: third_party.TEXT_MAX + 1]
    names = [str(v)[:64] for v in form.getlist("field")][: third_party.FIELDS_MAX]
    try:
        done = third_party.decide(
            request_id,
            third_party.DecideRequest(
                decision=decision,
                reason=reason,
                # A refusal approves nothing, whatever boxes were left ticked.
                fields=names if decision == "approve" else None,
            ),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
        )
    except InvalidInput as bad:
        typed: dict[str, object] = {"decision": decision, "reason": reason, "fields": names}
        return _request_page(
            request, staff, request_id, errors=_errors(bad), typed=typed, status=422
        )
    return RedirectResponse(
        f"/third-party-requests/{done.id}?done={done.status.value}", status_code=303
    )


@router.post("/third-party-requests/{request_id}/disclose")
async def disclose(request: Request, staff: StaffDep, request_id: str) -> Response:
    """Disclose the approved fields: record the disclosure and show the values, this once."""
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    found = third_party.lookup(request_id, uow=c.uow())
    channel = str(form.get("channel", ""))[:16]
    recipient = str(form.get("recipient", ""))[: disclosures.RECIPIENT_MAX + 1]
    try:
        done = disclosures.disclose(
            found.customer_id,
            disclosures.Disclose(
                verification_id=None,
                request_id=found.id,
                fields=list(found.approved_fields or ()),
                channel=channel,
                recipient=recipient,
            ),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
        )
    except InvalidInput as bad:
        typed: dict[str, object] = {"channel": channel, "recipient": recipient}
        return _request_page(
            request, staff, request_id, errors=_errors(bad), typed=typed, status=422
        )
    labels = _labels(request)
    page = render(
        request,
        "third_party/disclosed.html",
        {
            "request_id": found.id,
            "customer_id": found.customer_id,
            "disclosure_id": done.disclosure_id,
            "values": [(labels.get(n, n), v) for n, v in done.values.items()],
        },
    )
    # The values are shown once: no cache keeps them for the back button.
    page.headers["Cache-Control"] = "no-store"
    return page


def _new_page(
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
    view = customers.read(
        customer_id, purpose=purpose, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    projection = c.policy.projection(staff.actor.role, purpose)
    askable = [
        (n, f"ask_{n}", f.label) for n, f in c.policy.fields.items() if n in projection.on_record
    ]
    errors = errors or {}
    return render(
        request,
        "third_party/new.html",
        {
            "customer_id": customer_id,
            "view": view,
            "purpose": purpose,
            "askable": askable,
            "bases": list(BASES.values()),
            "typed": typed or {},
            "errors": errors,
            "error_links": summary_links(
                errors,
                {
                    **{k: k for k in REQUEST_INPUTS},
                    "basis": f"basis_{next(iter(BASES))}",
                    "fields": askable[0][1] if askable else "form",
                },
                REQUEST_INPUTS,
            ),
        },
        status=status,
    )


@router.get("/customers/{customer_id}/third-party-requests/new")
def new_page(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    c = container(request)
    return _new_page(request, staff, customer_id, chosen_purpose(c, staff, purpose))


@router.post("/customers/{customer_id}/third-party-requests")
async def record(request: Request, staff: StaffDep, customer_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", "")))
    typed: dict[str, object] = {
        k: str(form.get(k, ""))[: third_party.TEXT_MAX + 1] for k in REQUEST_INPUTS if k != "fields"
    }
    asked = [str(v)[:64] for v in form.getlist("field")][: third_party.FIELDS_MAX]
    typed["fields"] = asked
    try:
        made = third_party.record_request(
            customer_id,
            third_party.RecordRequest(
                requester=str(typed["requester"]),
                organisation=str(typed["organisation"]),
                identity_check=str(typed["identity_check"]),
                basis=str(typed["basis"]),
                reference=str(typed["reference"]),
                reason=str(typed["reason"]),
                fields=asked,
                purpose=purpose,
            ),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
        )
    except InvalidInput as bad:
        return _new_page(
            request, staff, customer_id, purpose, typed=typed, errors=_errors(bad), status=422
        )
    return RedirectResponse(f"/third-party-requests/{made.id}?done=recorded", status_code=303)
