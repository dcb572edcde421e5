"""The administrator's Messages page: what the outbox sent, what waits and what failed (dead
letters), newest first and paged; one message's state, and its text under a purpose where
the role acts for one; a dead letter retried after a confirmation (post/redirect/get)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import StaffDep, check_csrf
from clientkeep.outbox import services as outbox
from clientkeep.outbox.model import OUTCOME_UNKNOWN, Status
from clientkeep.shared.errors import InvalidInput

router = APIRouter(prefix="/outbox")

# The tabs, in order: (status filter, label).
TABS = (("", "All"), ("waiting", "Waiting"), ("sent", "Sent"), ("dead", "Failed"))
STATUS_LABELS = {
    Status.WAITING: "waiting",
    Status.SENDING: "sending",
    Status.SENT: "sent",
    Status.DEAD: "failed (dead letter)",
}
# Fixed notices after a redirect: a code, never text from the request.
NOTICES = {"retried": "the message is waiting again and goes with the sender's next pass"}
PAGE = 25


def _purposes(request: Request, role: str) -> list[str]:
    policy = request.app.state.container.policy
    return [p for p in policy.purposes if policy.role_may_act_under(role, p)]


@router.get("")
def messages(
    request: Request,
    staff: StaffDep,
    status: Annotated[str, Query(max_length=16)] = "",
    cursor: Annotated[str, Query(max_length=200)] = "",
    purpose: Annotated[str, Query(max_length=64)] = "",
    done: Annotated[str, Query(max_length=32)] = "",
) -> Response:
    c = request.app.state.container
    context: dict[str, Any] = {
        "tabs": TABS,
        "status": status,
        "purpose": purpose,
        "purposes": _purposes(request, staff.actor.role),
        "labels": STATUS_LABELS,
        "notice": NOTICES.get(done),
        "errors": {},
    }
    try:
        page = outbox.list_messages(
            status=outbox.parse_status(status),
            cursor=cursor or None,
            limit=PAGE,
            purpose=purpose or None,
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
        )
    except InvalidInput as exc:
        context.update(errors=dict(exc.errors), page=None)
        return render(request, "outbox/list.html", context, status=422)
    context["page"] = page
    return render(request, "outbox/list.html", context)


@router.get("/{message_id}")
def message(
    request: Request,
    staff: StaffDep,
    message_id: str,
    purpose: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    c = request.app.state.container
    deps = {"uow": c.uow(), "actor": staff.actor, "policy": c.policy}
    view = outbox.read_message(message_id, purpose=purpose, **deps) if purpose else None
    envelope = view.envelope if view else outbox.message_envelope(message_id, **deps)
    return render(
        request,
        "outbox/message.html",
        {
            "envelope": envelope,
            "view": view,
            "purpose": purpose,
            "purposes": _purposes(request, staff.actor.role),
            "labels": STATUS_LABELS,
            "unknown": envelope.last_error == OUTCOME_UNKNOWN,
        },
    )


@router.get("/{message_id}/retry")
def confirm_retry(request: Request, staff: StaffDep, message_id: str) -> Response:
    c = request.app.state.container
    envelope = outbox.message_envelope(message_id, uow=c.uow(), actor=staff.actor, policy=c.policy)
    return render(
        request,
        "outbox/confirm_retry.html",
        {
            "envelope": envelope,
            "labels": STATUS_LABELS,
            "unknown": envelope.last_error == OUTCOME_UNKNOWN,
        },
    )


@router.post("/{message_id}/retry")
def retry(
    request: Request,
    staff: StaffDep,
    message_id: str,
    csrf_token: Annotated[str | None, Form()] = None,
) -> Response:
    check_csrf(staff.session.csrf_token, csrf_token)
    c = request.app.state.container
    outbox.retry_message(message_id, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock)
    return RedirectResponse("/outbox?done=retried", status_code=303)
