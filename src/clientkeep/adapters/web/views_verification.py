"""The "Verify the caller" screen: the agent types what the caller states, and learns only
whether it was enough. Nothing held is ever shown here, and no answer is sent back in a page
after the check (post/redirect/get: the result travels as a code, never as what was said)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import chosen_purpose, container, summary_links
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.customers import services as customers
from clientkeep.shared.errors import InvalidInput
from clientkeep.verification import services as verification
from clientkeep.verification.answers import PHONE_LAST_FOUR, answer_names
from clientkeep.verification.model import VerificationLocked

router = APIRouter(prefix="/customers")
# Results a redirect may carry; anything else shows nothing.
RESULTS = ("verified", "not_verified", "locked")


def _answers(request: Request) -> list[tuple[str, str, str]]:
    """(answer name, input id, label) for each answer the policy's check takes."""
    c = container(request)
    method = verification.knowledge_method(c.policy)
    found = []
    for name in answer_names(c.policy, method):
        if name == PHONE_LAST_FOUR:
            label = "Last four digits of the phone number"
        else:
            label = c.policy.fields[name].label
        found.append((name, f"answer_{name}", label))
    return found


def _page(
    request: Request,
    staff: SignedInStaff,
    customer_id: str,
    purpose: str,
    *,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    result: str | None = None,
    left: int | None = None,
    until: str | None = None,
    status: int = 200,
) -> Response:
    c = container(request)
    view = customers.read(
        customer_id, purpose=purpose, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    checks = verification.attempts(
        customer_id, purpose=purpose, uow=c.uow(), actor=staff.actor, policy=c.policy
    )
    answers = _answers(request)
    now = c.clock.now()
    valid = next(
        (
            a
            for a in checks
            if a.verified
            and a.checked_by == staff.actor.id
            and a.expires_at is not None
            and a.expires_at > now
        ),
        None,
    )
    return render(
        request,
        "records/verify.html",
        {
            "customer_id": customer_id,
            "view": view,
            "purpose": purpose,
            "answers": answers,
            "typed": typed or {},
            "errors": errors or {},
            "error_links": summary_links(
                errors or {}, {n: i for n, i, _ in answers}, {n: lbl for n, _, lbl in answers}
            ),
            "result": result if result in RESULTS else None,
            "left": left,
            "until": until,
            "valid": valid,
            "checks": checks[:10],
            "method": verification.knowledge_method(c.policy),
        },
        status=status,
    )


@router.get("/{customer_id}/verify")
def verify_page(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
    result: Annotated[str | None, Query(max_length=16)] = None,
    left: Annotated[int | None, Query(ge=0, le=99)] = None,
    until: Annotated[str | None, Query(pattern=r"^\d{2}:\d{2}$")] = None,
) -> Response:
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    return _page(request, staff, customer_id, chosen, result=result, left=left, until=until)


@router.post("/{customer_id}/verify")
async def verify(request: Request, staff: StaffDep, customer_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", "")))
    names = [n for n, _, _ in _answers(request)]
    typed = {n: str(form.get(f"answer_{n}", ""))[:200] for n in names}
    back = f"/customers/{customer_id}/verify?purpose={purpose}"
    try:
        done = verification.check_knowledge(
            customer_id,
            verification.KnowledgeCheck(answers={n: v for n, v in typed.items() if v.strip()}),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
        )
    except InvalidInput as bad:
        errors: dict[str, str] = {}
        for field, message in bad.errors:
            errors.setdefault(field, message)
        return _page(request, staff, customer_id, purpose, typed=typed, errors=errors, status=422)
    except VerificationLocked as locked:
        return RedirectResponse(f"{back}&result=locked&until={_hhmm(locked.retry_at)}", 303)
    if done.verified:
        return RedirectResponse(f"{back}&result=verified", status_code=303)
    return RedirectResponse(
        f"{back}&result=not_verified&left={done.attempts_left}", status_code=303
    )


def _hhmm(at: datetime) -> str:
    return f"{at:%H:%M}"
