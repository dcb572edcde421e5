"""The "Verify the caller" screen: the agent types what the caller states, or sends a one-time
code to the contact details on record and types the code the caller reads out, and learns
only whether it was enough. Nothing held is ever shown here, and no answer or code is sent
back in a page after the check (post/redirect/get: the result travels as a fixed word, never
as what was said)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import chosen_purpose, container, summary_links
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.customers import services as customers
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.verification import disclosure as disclosures
from clientkeep.verification import masking, replies
from clientkeep.verification import one_time_codes as codes
from clientkeep.verification import services as verification
from clientkeep.verification.answers import PHONE_LAST_FOUR, answer_names
from clientkeep.verification.model import Verification, VerificationLocked

router = APIRouter(prefix="/customers")
# Results a redirect may carry; anything else shows nothing.
RESULTS = ("verified", "not_verified", "locked", "code_sent", "code_wait", "code_limit")
CHANNEL_LABELS = {
    "email": "Email, to the address on record",
    "sms": "Text message, to the phone number on record",
}
CODE_INPUT = "one_time_code"
TELL_CHANNELS = (
    ("phone", "By phone"),
    ("in_person", "In person"),
    ("email", "By email"),
    ("letter", "By letter"),
)


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


def _code_minutes(request: Request) -> int | None:
    try:
        return codes.one_time_code_method(container(request).policy).code_minutes
    except PermissionDenied:
        return None


def _channels(request: Request) -> list[tuple[str, str, str]]:
    """(channel, input id, label) for each channel the policy's one-time code may go by;
    none where the policy declares no such check."""
    try:
        method = codes.one_time_code_method(container(request).policy)
    except PermissionDenied:
        return []
    return [(ch, f"channel_{ch}", CHANNEL_LABELS.get(ch, ch)) for ch in method.channels]


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
    channel: str | None = None,
    status: int = 200,
) -> Response:
    c = container(request)
    channels = _channels(request)
    # Read as the customer's page reads it: the name, and nothing the purpose hides until the
    # caller is verified, so the audit trail names only what this page could show.
    view = masking.read_for_caller(
        customer_id, purpose=purpose, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    ).view
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
    log = disclosures.disclosure_log(
        customer_id, purpose=purpose, uow=c.uow(), actor=staff.actor, policy=c.policy
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
                errors or {},
                {
                    **{n: i for n, i, _ in answers},
                    "channel": channels[0][1] if channels else "send-code",
                    "code": CODE_INPUT,
                },
                {
                    **{n: lbl for n, _, lbl in answers},
                    "channel": "Channel",
                    "code": "Code the caller reads out",
                },
            ),
            "channels": channels,
            "channel": channel if channel in {ch for ch, _, _ in channels} else None,
            "code_input": CODE_INPUT,
            "code_minutes": _code_minutes(request),
            "result": result if result in RESULTS else None,
            "left": left,
            "until": until,
            "valid": valid,
            "checks": checks[:10],
            "method": verification.knowledge_method(c.policy),
            "tellable": bool(view.fields),
            "disclosures": log[:10],
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
    until: Annotated[str | None, Query(pattern=r"^\d{2}:\d{2}(:\d{2})?$")] = None,
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
        # What the caller said is not sent back, not even into the form: the page would carry
        # a stated answer. The agent asks again and retypes, as for a code.
        return _page(request, staff, customer_id, purpose, errors=errors, status=422)
    except VerificationLocked as locked:
        return RedirectResponse(f"{back}&result=locked&until={_hhmm(locked.retry_at)}", 303)
    if done.verified:
        return RedirectResponse(f"{back}&result=verified", status_code=303)
    return RedirectResponse(
        f"{back}&result=not_verified&left={done.attempts_left}", status_code=303
    )


@router.post("/{customer_id}/verify/code/send")
async def send_code(request: Request, staff: StaffDep, customer_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", "")))
    channel = str(form.get("channel", ""))[:16]
    back = f"/customers/{customer_id}/verify?purpose={purpose}"
    try:
        codes.send_code(
            customer_id,
            codes.SendCode(channel=channel),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
            codes=c.one_time_codes,
        )
    except InvalidInput as bad:
        errors = {"channel": bad.errors[0][1]} if bad.errors else {}
        return _page(
            request, staff, customer_id, purpose, errors=errors, channel=channel, status=422
        )
    except VerificationLocked as locked:
        return RedirectResponse(f"{back}&result=locked&until={_hhmm(locked.retry_at)}", 303)
    except codes.TooManyCodes as refused:
        result = "code_limit" if refused.limit == "per_hour" else "code_wait"
        until = f"{refused.retry_at:%H:%M:%S}"
        return RedirectResponse(f"{back}&result={result}&until={until}", status_code=303)
    return RedirectResponse(f"{back}&result=code_sent", status_code=303)


@router.post("/{customer_id}/verify/code")
async def check_code(request: Request, staff: StaffDep, customer_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", "")))
    back = f"/customers/{customer_id}/verify?purpose={purpose}"
    try:
        done = codes.check_code(
            customer_id,
            codes.CodeCheck(code=str(form.get(CODE_INPUT, ""))[:16]),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
            codes=c.one_time_codes,
        )
    except InvalidInput as bad:
        # The code typed is not shown again: it was a slip, and is retyped whole.
        errors = {"code": bad.errors[0][1]} if bad.errors else {}
        return _page(request, staff, customer_id, purpose, errors=errors, status=422)
    except VerificationLocked as locked:
        return RedirectResponse(f"{back}&result=locked&until={_hhmm(locked.retry_at)}", 303)
    if done.verified:
        return RedirectResponse(f"{back}&result=verified", status_code=303)
    return RedirectResponse(
        f"{back}&result=not_verified&left={done.attempts_left}", status_code=303
    )


def _tell_page(
    request: Request,
    staff: SignedInStaff,
    customer_id: str,
    purpose: str,
    *,
    told: dict[str, object] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The "Tell the caller" form: the fields this purpose shows that the record holds. Its
    own page, so its checkboxes never share a label with the answers on the check's page."""
    c = container(request)
    view = customers.read(
        customer_id, purpose=purpose, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    valid = _valid_check(request, staff, customer_id)
    # A representative is offered only the details of their scope.
    scope = verification.scope_of(valid, uow=c.uow(), now=c.clock.now()) if valid else None
    tellable = [
        (n, f"tell_{n}", f.label) for n, f in view.fields.items() if scope is None or n in scope
    ]
    return render(
        request,
        "records/tell.html",
        {
            "customer_id": customer_id,
            "view": view,
            "purpose": purpose,
            "valid": valid,
            "tellable": tellable,
            "channels": TELL_CHANNELS,
            "told": told or {},
            "errors": errors or {},
            "error_links": summary_links(
                errors or {},
                {"fields": tellable[0][1] if tellable else "form", "channel": "channel"},
                {"fields": "Details to tell", "channel": "How", "recipient": "Told to"},
            ),
        },
        status=status,
    )


def _valid_check(request: Request, staff: SignedInStaff, customer_id: str) -> Verification | None:
    """This member's check of the caller that still proves them, if any (the use case checks
    again on telling: this only decides what the page offers)."""
    c = container(request)
    return verification.current_proof(
        customer_id, uow=c.uow(), actor=staff.actor, now=c.clock.now()
    )


@router.get("/{customer_id}/tell")
def tell_page(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    c = container(request)
    return _tell_page(request, staff, customer_id, chosen_purpose(c, staff, purpose))


@router.post("/{customer_id}/disclosures")
async def tell(request: Request, staff: StaffDep, customer_id: str) -> Response:
    """Tell the caller: record the disclosure, then send the member to a page that reads the
    values again (post/redirect/get), so no value rides on this answer or in a URL."""
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", "")))
    names = [str(v)[:64] for v in form.getlist("field")][: disclosures.FIELDS_MAX]
    told: dict[str, object] = {
        "fields": names,
        "channel": str(form.get("channel", ""))[:16],
        "recipient": str(form.get("recipient", ""))[: disclosures.RECIPIENT_MAX + 1],
    }
    try:
        done = disclosures.disclose(
            customer_id,
            disclosures.Disclose(
                verification_id=str(form.get("verification_id", ""))[:64],
                fields=names,
                channel=str(told["channel"]),
                recipient=str(told["recipient"]),
                purpose=purpose,
            ),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
        )
    except InvalidInput as bad:
        errors: dict[str, str] = {}
        for field, message in bad.errors:
            errors.setdefault(field.split(".")[0], message)
        return _tell_page(
            request, staff, customer_id, purpose, told=told, errors=errors, status=422
        )
    return RedirectResponse(
        f"/customers/{customer_id}/disclosures/{done.disclosure_id}?purpose={purpose}", 303
    )


@router.get("/{customer_id}/disclosures/{disclosure_id}")
def told_page(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    disclosure_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
    emailed: Annotated[str | None, Query(max_length=1)] = None,
) -> Response:
    """The values of one disclosure, read again from the record (an audited read), for the
    member who made it while the caller's verification lasts."""
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    done = disclosures.shown_again(
        customer_id, disclosure_id, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    labels = {n: f.label for n, f in c.policy.fields.items()}
    return render(
        request,
        "records/disclosed.html",
        {
            "customer_id": customer_id,
            "purpose": chosen,
            "disclosure_id": done.disclosure_id,
            "values": [(labels.get(n, n), v) for n, v in done.values.items()],
            "may_email": replies.may_email(
                customer_id, disclosure_id, uow=c.uow(), actor=staff.actor
            ),
            "emailed": emailed == "1",
        },
    )


def _hhmm(at: datetime) -> str:
    return f"{at:%H:%M}"
