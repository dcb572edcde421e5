"""The "Representatives" screen of a customer: who has authority to act for them, recording
one, approving, refusing or revoking one (members holding ``disclosures.approve``), and
verifying a caller who says they are an approved one, with THEIR OWN answers.

Answers typed here are never shown again, not even after a slip (they are retyped whole), and
every change is post/redirect/get: the page after it carries a fixed code, never text from the
request. A representative who passes is sent on to "Tell the caller", whose disclosures are
cut to their scope by the use case.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import chosen_purpose, container, summary_links
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.shared.errors import InvalidInput
from clientkeep.verification import representatives as reps
from clientkeep.verification.answers import PHONE_LAST_FOUR
from clientkeep.verification.model import VerificationLocked
from clientkeep.verification.representative_model import AUTHORITIES, SCOPE_ACTIONS

router = APIRouter(prefix="/customers")

AUTHORITY_LABELS = {
    "lasting_power_of_attorney": "Lasting power of attorney",
    "deputyship": "Deputyship (Court of Protection)",
    "parental_responsibility": "Parental responsibility",
    "solicitors_letter": "Solicitor's letter",
}
ACTION_LABELS = {"disclose": "Be told these details", "update": "Change these details"}
# ?done= and ?result= carry only these codes; anything else shows nothing.
NOTICES = {
    "recorded": "Done: recorded. Another member of staff who may approve representatives "
    "must approve them before they can be verified.",
    "approved": "Done: approved. They can now be verified with their own answers.",
    "refused": "Done: refused.",
    "revoked": "Done: revoked. No check of them proves them any more.",
}
RESULTS = ("not_verified", "locked")
# Inputs of the add form, by the use case's field name.
ADD_INPUTS = {
    "name": "rep-name",
    "relationship": "rep-relationship",
    "authority": "rep-authority",
    "reference": "rep-reference",
    "evidence_seen": "rep-evidence",
    "expires_on": "rep-expires",
}
ADD_LABELS = {
    "name": "Their name",
    "relationship": "Relationship to the customer",
    "authority": "Authority",
    "reference": "The authority's reference",
    "evidence_seen": "Evidence seen",
    "expires_on": "Last day of the authority",
    "scope_fields": "Details in their scope",
    "scope_actions": "What they may do",
    "answers": "Their own answers",
}
TEXT_MAX = 600


def _answers(request: Request) -> list[tuple[str, str]]:
    """(answer name, label) for each answer a representative gives about themselves."""
    policy = container(request).policy
    found = []
    for name in reps.representative_answer_names(policy):
        if name == PHONE_LAST_FOUR:
            label = "Last four digits of their phone number"
        else:
            label = f"Their {policy.fields[name].label[:1].lower()}{policy.fields[name].label[1:]}"
        found.append((name, label))
    return found


def _scope_choices(request: Request, staff: SignedInStaff, purpose: str) -> list[tuple[str, str]]:
    """(field name, label) of every field the purpose shows the member, in policy order."""
    policy = container(request).policy
    shown = policy.projection(staff.actor.role, purpose).on_record
    return [(n, f.label) for n, f in policy.fields.items() if n in shown]


def _page(
    request: Request,
    staff: SignedInStaff,
    customer_id: str,
    purpose: str,
    *,
    notice: str | None = None,
    result: str | None = None,
    left: int | None = None,
    until: str | None = None,
    typed: dict[str, object] | None = None,
    errors: dict[str, str] | None = None,
    targets: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    c = container(request)
    found = reps.representatives(
        customer_id, purpose=purpose, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    field_labels = {n: f.label for n, f in c.policy.fields.items()}
    return render(
        request,
        "records/representatives.html",
        {
            "customer_id": customer_id,
            "purpose": purpose,
            "representatives": found,
            "may_decide": c.policy.has_capability(staff.actor.role, reps.CAPABILITY),
            "me": staff.actor.id,
            "notice": NOTICES.get(notice or ""),
            "result": result if result in RESULTS else None,
            "left": left,
            "until": until,
            "authorities": [(a, AUTHORITY_LABELS.get(a, a)) for a in AUTHORITIES],
            "authority_labels": AUTHORITY_LABELS,
            "actions": [(a, ACTION_LABELS.get(a, a)) for a in SCOPE_ACTIONS],
            "scope_choices": _scope_choices(request, staff, purpose),
            "field_labels": field_labels,
            "answers": _answers(request),
            "typed": typed or {},
            "errors": errors or {},
            "error_links": summary_links(errors or {}, targets or {}, labels or {}),
            "min_matches": reps.representative_method(c.policy).min_matches,
        },
        status=status,
    )


@router.get("/{customer_id}/representatives")
def representatives_page(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
    done: Annotated[str | None, Query(max_length=16)] = None,
    result: Annotated[str | None, Query(max_length=16)] = None,
    left: Annotated[int | None, Query(ge=0, le=99)] = None,
    until: Annotated[str | None, Query(pattern=r"^\d{2}:\d{2}$")] = None,
) -> Response:
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    return _page(
        request, staff, customer_id, chosen, notice=done, result=result, left=left, until=until
    )


async def _form(request: Request, staff: SignedInStaff) -> FormData:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    return form


def _text(form: FormData, name: str) -> str:
    return str(form.get(name, ""))[:TEXT_MAX]


def _add_key(field: str) -> str:
    """A use case's field path as the key of the add form's error: one per control."""
    if field.startswith("scope.fields"):
        return "scope_fields"
    if field.startswith("scope.actions"):
        return "scope_actions"
    if field.startswith("answers."):
        return f"answer_{field.removeprefix('answers.')}"
    return field


@router.post("/{customer_id}/representatives")
async def add(request: Request, staff: StaffDep, customer_id: str) -> Response:
    form = await _form(request, staff)
    c = container(request)
    purpose = chosen_purpose(c, staff, _text(form, "purpose"))
    answers = {n: _text(form, f"answer_{n}") for n, _ in _answers(request)}
    text = {n: _text(form, n) for n in ADD_INPUTS}
    scope_fields = [str(v)[:64] for v in form.getlist("scope_field")][: reps.SCOPE_MAX]
    scope_actions = [str(v)[:16] for v in form.getlist("scope_action")][:4]
    typed: dict[str, object] = {
        **text,
        "scope_fields": scope_fields,
        "scope_actions": scope_actions,
    }
    errors: dict[str, str] = {}
    expires_on = None
    if text["expires_on"].strip():
        try:
            expires_on = date.fromisoformat(text["expires_on"].strip()[:10])
        except ValueError:
            errors["expires_on"] = "Enter a date, such as 2030-12-31."
    if not errors:
        try:
            reps.record_representative(
                customer_id,
                reps.RecordRepresentative(
                    name=text["name"],
                    relationship=text["relationship"],
                    authority=text["authority"][:32],
                    reference=text["reference"],
                    evidence_seen=text["evidence_seen"],
                    scope_fields=scope_fields,
                    scope_actions=scope_actions,
                    answers={n: v for n, v in answers.items() if v.strip()},
                    expires_on=expires_on,
                    purpose=purpose,
                ),
                uow=c.uow(),
                actor=staff.actor,
                policy=c.policy,
                clock=c.clock,
            )
        except InvalidInput as bad:
            for field, message in bad.errors:
                errors.setdefault(_add_key(field), message)
    if errors:
        first_answer = f"rep-answer-{_answers(request)[0][0]}" if _answers(request) else "add"
        targets = {
            **ADD_INPUTS,
            "scope_fields": "scope-fields",
            "scope_actions": "scope-actions",
            "answers": first_answer,
            **{f"answer_{n}": f"rep-answer-{n}" for n, _ in _answers(request)},
        }
        labels = {**ADD_LABELS, **{f"answer_{n}": lbl for n, lbl in _answers(request)}}
        # The answers typed are not shown again: retyped whole, they never ride on a page.
        return _page(
            request,
            staff,
            customer_id,
            purpose,
            typed=typed,
            errors=errors,
            targets={k: v for k, v in targets.items() if k in errors or k in ADD_INPUTS},
            labels=labels,
            status=422,
        )
    return RedirectResponse(
        f"/customers/{customer_id}/representatives?purpose={purpose}&done=recorded", 303
    )


@router.post("/{customer_id}/representatives/{representative_id}/decision")
async def decide(
    request: Request, staff: StaffDep, customer_id: str, representative_id: str
) -> Response:
    form = await _form(request, staff)
    c = container(request)
    purpose = chosen_purpose(c, staff, _text(form, "purpose"))
    decision = _text(form, "decision")[:16]
    try:
        done = reps.decide(
            customer_id,
            representative_id[:64],
            reps.Decide(decision=decision, reason=_text(form, "reason")),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
        )
    except InvalidInput as bad:
        rid = representative_id[:64]
        errors: dict[str, str] = {}
        for field, message in bad.errors:
            errors.setdefault(f"{field}-{rid}", message)
        targets = {f"decision-{rid}": f"decision-{rid}", f"reason-{rid}": f"reason-{rid}"}
        labels = {f"decision-{rid}": "Decision", f"reason-{rid}": "Reason"}
        return _page(
            request,
            staff,
            customer_id,
            purpose,
            errors=errors,
            targets=targets,
            labels=labels,
            status=422,
        )
    return RedirectResponse(
        f"/customers/{customer_id}/representatives?purpose={purpose}&done={done.status}", 303
    )


@router.post("/{customer_id}/representatives/{representative_id}/verify")
async def verify(
    request: Request, staff: StaffDep, customer_id: str, representative_id: str
) -> Response:
    """Check a caller's answers against the representative's own; on a pass, on to "Tell the
    caller" (which tells them only what their scope covers)."""
    form = await _form(request, staff)
    c = container(request)
    purpose = chosen_purpose(c, staff, _text(form, "purpose"))
    rid = representative_id[:64]
    stated = {n: _text(form, f"answer_{n}")[:200] for n, _ in _answers(request)}
    back = f"/customers/{customer_id}/representatives?purpose={purpose}"
    try:
        done = reps.check_representative(
            customer_id,
            reps.RepresentativeCheck(
                representative_id=rid, answers={n: v for n, v in stated.items() if v.strip()}
            ),
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
        )
    except InvalidInput as bad:
        errors: dict[str, str] = {}
        for field, message in bad.errors:
            key = f"verify-{rid}-{field}"
            errors.setdefault(key, message)
        answers = _answers(request)
        first = f"verify-{rid}-{answers[0][0]}" if answers else f"verify-{rid}"
        targets = {f"verify-{rid}-{n}": f"verify-{rid}-{n}" for n, _ in answers}
        targets[f"verify-{rid}-answers"] = first
        labels = {f"verify-{rid}-{n}": lbl for n, lbl in answers}
        labels[f"verify-{rid}-answers"] = "Their own answers"
        return _page(
            request,
            staff,
            customer_id,
            purpose,
            errors=errors,
            targets=targets,
            labels=labels,
            status=422,
        )
    except VerificationLocked as locked:
        return RedirectResponse(f"{back}&result=locked&until={locked.retry_at:%H:%M}", 303)
    if done.verified:
        return RedirectResponse(f"/customers/{customer_id}/tell?purpose={purpose}", 303)
    return RedirectResponse(f"{back}&result=not_verified&left={done.attempts_left}", 303)
