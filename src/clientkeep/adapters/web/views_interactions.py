"""Contacts on the web: the customer's "Timeline" tab with its "Log this contact" form and
the correction form (the "Follow-ups" page is in ``views_follow_ups``).

The tab shows the log form above the timeline (newest first, an "Older" link by cursor). A
contact is logged by post/redirect/get back to the tab with a fixed notice code, so the
member stays on the customer. When the note checker finds something, the form comes back
(422) with what was typed, a warning per hit, the redacted version and a "Save the redacted
version" button; "Keep as written" is offered only for kinds that may be kept. Under a
caller-facing purpose the changes of details hidden until the caller is verified are left
out, as on the History tab.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import (
    chosen_purpose,
    container,
    purposes_for,
    reveal_asked,
    summary_links,
)
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.interactions import note_check, reading, recording
from clientkeep.interactions import timeline as timelines
from clientkeep.interactions.recording import NoteWarnings
from clientkeep.interactions.sources import (
    CORRECTED_BY,
    FOLLOW_UP_DUE,
    FOLLOWED_UP_BY,
    INTERACTION,
)
from clientkeep.interactions.vocabulary import (
    CATEGORY_LABELS,
    CHANNEL_LABELS,
    OUTCOME_LABELS,
    Outcome,
)
from clientkeep.shared.errors import InvalidInput
from clientkeep.shared.timeline import TimelineEntry
from clientkeep.shared.uk_time import UK
from clientkeep.verification.timeline import CallerMask

router = APIRouter()
NOTICES = {
    "logged": "Done: the contact is logged.",
    "closed": "Done: the contact is logged and the follow-up it answers is closed.",
    "corrected": "Done: the correction is logged. The entry it corrects stays, marked.",
}
# Each input's id and label: where an error summary's link leads, and how it names it.
INPUTS = {
    "channel": "How the contact came",
    "occurred_at": "When it happened",
    "category": "What it was about",
    "nature": "Nature of the contact",
    "actions_taken": "Actions taken",
    "outcome": "Outcome",
    "follow_up_due": "Follow-up due",
    "follows_up": "The follow-up it answers",
    "reason": "Reason for the correction",
    "keep": "Keep as written",
}
TEXTS = ("nature", "actions_taken", "reason")
KIND_LABELS = {
    "card": "card number",
    "sort_code": "sort code",
    "account_number": "bank account number",
    "ni_number": "National Insurance number",
    "password": "password",
    "health": "health detail",
}
FOLLOW_UP_VIEWS = ("mine", "team")


@dataclass(frozen=True)
class Warned:
    """What the note checker found, for the form that comes back."""

    # (input id, field label, message) for each hit, in the order found.
    hits: list[tuple[str, str, str]]
    # (field label, text as it would be saved) for each text field.
    redacted: list[tuple[str, str]]
    keepable: list[tuple[str, str]]  # (kind, label)
    # Kinds found that are never kept (removed whatever the member chooses).
    never_kept: list[str]
    # {field: [(element id, message)]}: each hit said again under its own field.
    by_field: dict[str, list[tuple[str, str]]]


@dataclass(frozen=True)
class Row:
    entry: TimelineEntry
    when: str
    by: str | None
    correctable: bool
    open_follow_up: bool


def _warned(exc: NoteWarnings) -> tuple[Warned, list[tuple[str, str]]]:
    """The hits and redacted texts of a warning, and the errors that are not hits."""
    plain = list(exc.errors[: len(exc.errors) - len(exc.hits)])
    hits = [
        (h.field, INPUTS.get(h.field, h.field), message)
        for h, (_, message) in zip(exc.hits, exc.errors[len(plain) :], strict=True)
    ]
    by_field: dict[str, list[tuple[str, str]]] = {}
    for name, _, message in hits:
        mine = by_field.setdefault(name, [])
        mine.append((f"{name}-hit-{len(mine) + 1}", message))
    found = {h.kind for h in exc.hits}
    never = [k for k in note_check.HitKind if k in found and k in note_check.NEVER_KEPT]
    return (
        Warned(
            hits=hits,
            redacted=[(INPUTS[n], exc.redacted[n]) for n in TEXTS if n in exc.redacted],
            keepable=[(k, KIND_LABELS[k]) for k in exc.keepable],
            never_kept=[KIND_LABELS[k.value] for k in never],
            by_field=by_field,
        ),
        plain,
    )


def _error_map(errors: list[tuple[str, str]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, message in errors:
        found.setdefault(name.split(".")[0], message)
    return found


def _links(errors: Mapping[str, str], warned: Warned | None) -> list[tuple[str, str]]:
    links = summary_links(errors, {k: k for k in INPUTS}, INPUTS)
    for input_id, label, message in warned.hits if warned else []:
        links.append((input_id, f"{label}: {message[:1].lower()}{message[1:]}"))
    return links


def utc_text(at: datetime) -> str:
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M}"


def _row(e: TimelineEntry, staff: Mapping[str, str]) -> Row:
    labels = {label for label, _ in e.details}
    contact = e.kind == INTERACTION
    return Row(
        entry=e,
        when=utc_text(e.at),
        by=staff.get(e.staff_id) if e.staff_id else None,
        correctable=contact and CORRECTED_BY not in labels,
        open_follow_up=contact
        and FOLLOW_UP_DUE in labels
        and not labels & {CORRECTED_BY, FOLLOWED_UP_BY},
    )


def _choices() -> dict[str, Any]:
    return {
        "channels": [(k.value, v) for k, v in CHANNEL_LABELS.items()],
        "categories": [(k.value, v.capitalize()) for k, v in CATEGORY_LABELS.items()],
        "outcomes": [(k.value, v) for k, v in OUTCOME_LABELS.items()],
    }


def _text_limit(request: Request) -> int:
    c = container(request)
    part = c.policy.field_roles.contact_notes
    field = c.policy.fields.get(part) if part else None
    return (field.max_length if field else None) or recording.TEXT_MAX_DEFAULT


def _keeps_notes(request: Request, staff: SignedInStaff, purpose: str) -> bool:
    c = container(request)
    part = c.policy.field_roles.contact_notes
    return part is not None and part in c.policy.projection(staff.actor.role, purpose).shown


def _timeline_page(
    request: Request,
    staff: SignedInStaff,
    customer_id: str,
    purpose: str,
    *,
    cursor: str | None = None,
    reveal: str | None = None,
    typed: Mapping[str, str] | None = None,
    errors: dict[str, str] | None = None,
    warned: Warned | None = None,
    status: int = 200,
) -> Response:
    c = container(request)
    mask = CallerMask(customer_id, purpose, staff.actor, c.policy, c.clock, reveal=reveal)
    page = timelines.timeline(
        customer_id,
        purpose=purpose,
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        sources=c.timeline_sources,
        cursor=cursor,
        hide=mask,
    )
    typed = dict(typed or {})
    follows_up = typed.get("follows_up") or request.query_params.get("follows_up", "")[:64]
    errors = errors or {}
    labels = {n: f.label for n, f in c.policy.fields.items()}
    return render(
        request,
        "interactions/timeline.html",
        {
            "customer_id": customer_id,
            "purpose": purpose,
            "purposes": purposes_for(c, staff),
            "rows": [_row(e, page.staff) for e in page.entries],
            "next_cursor": page.next_cursor,
            "older": cursor is not None,
            "hidden": [labels.get(n, n) for n in mask.hidden],
            "outside_scope": bool(mask.proof and mask.hidden),
            "reveal_code": mask.revealed,
            "keeps_notes": _keeps_notes(request, staff, purpose),
            "notice": NOTICES.get(request.query_params.get("done", "")),
            "done": request.query_params.get("done", ""),
            "follows_up": follows_up,
            "typed": typed,
            "errors": errors,
            "warned": warned,
            "error_links": _links(errors, warned),
            "text_limit": _text_limit(request),
            **_choices(),
        },
        status=status,
    )


@router.get("/customers/{customer_id}/timeline")
def timeline_tab(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    reveal: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    return _timeline_page(
        request,
        staff,
        customer_id,
        chosen,
        cursor=cursor or None,
        reveal=reveal_asked(request, reveal),
    )


def _typed(form: FormData, names: tuple[str, ...], limit: int) -> dict[str, str]:
    sizes = {"nature": limit + 1, "actions_taken": limit + 1, "reason": recording.REASON_MAX + 1}
    return {n: str(form.get(n, ""))[: sizes.get(n, 64)] for n in names}


def _parsed(typed: Mapping[str, str]) -> tuple[datetime | None, date | None, dict[str, str]]:
    """The form's time and date, or what is wrong with them (named, never echoed)."""
    errors: dict[str, str] = {}
    when: datetime | None = None
    due: date | None = None
    if typed.get("occurred_at", "").strip():
        try:
            when = datetime.fromisoformat(typed["occurred_at"].strip())
        except ValueError:
            errors["occurred_at"] = "Give a date and time, such as 23/11/2026 09:30."
    if typed.get("follow_up_due", "").strip():
        try:
            due = date.fromisoformat(typed["follow_up_due"].strip())
        except ValueError:
            errors["follow_up_due"] = "Give a date, such as 30/11/2026."
    return when, due, errors


def _decision(form: FormData) -> tuple[bool, frozenset[str]]:
    """After a warning: redact (either button), and keep the kinds offered ("Keep as
    written" only; whatever is not kept is redacted)."""
    choice = str(form.get("choice", ""))[:16]
    keep = [str(k)[:32] for k in form.getlist("keep")[:6]] if choice == "keep" else []
    return choice in ("redact", "keep"), frozenset(keep)


LOG_FIELDS = (
    "channel",
    "occurred_at",
    "category",
    "nature",
    "actions_taken",
    "outcome",
    "follow_up_due",
    "follows_up",
)


@router.post("/customers/{customer_id}/interactions")
async def log_contact(request: Request, staff: StaffDep, customer_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", ""))[:64] or None)
    typed = _typed(form, LOG_FIELDS, _text_limit(request))
    when, due, errors = _parsed(typed)
    redact, keep = _decision(form)
    warned: Warned | None = None
    follows_up = typed["follows_up"].strip() or None
    if not errors:
        try:
            recording.log_interaction(
                customer_id,
                recording.LogInteraction(
                    channel=typed["channel"],
                    category=typed["category"],
                    nature=typed["nature"],
                    actions_taken=typed["actions_taken"],
                    outcome=typed["outcome"] or Outcome.RESOLVED.value,
                    occurred_at=when,
                    follow_up_due=due,
                    follows_up=follows_up,
                    purpose=purpose,
                    redact=redact,
                    keep=keep,
                ),
                uow=c.uow(),
                actor=staff.actor,
                policy=c.policy,
                clock=c.clock,
            )
        except NoteWarnings as found:
            warned, plain = _warned(found)
            errors = _error_map(plain)
        except InvalidInput as bad:
            errors = _error_map(bad.errors)
    if errors or warned:
        return _timeline_page(
            request,
            staff,
            customer_id,
            purpose,
            typed=typed,
            errors=errors,
            warned=warned,
            status=422,
        )
    done = "closed" if follows_up else "logged"
    return RedirectResponse(
        f"/customers/{customer_id}/timeline?purpose={purpose}&done={done}", status_code=303
    )


def _local(at: datetime) -> str:
    """As a datetime-local input holds it: UK time, to the minute."""
    return f"{at.astimezone(UK):%Y-%m-%dT%H:%M}"


def _correction_page(
    request: Request,
    staff: SignedInStaff,
    customer_id: str,
    interaction_id: str,
    purpose: str,
    *,
    typed: Mapping[str, str] | None = None,
    errors: dict[str, str] | None = None,
    warned: Warned | None = None,
    status: int = 200,
) -> Response:
    c = container(request)
    found = reading.read_interaction(
        customer_id, interaction_id, uow=c.uow(), actor=staff.actor, policy=c.policy
    )
    old = found.interaction
    was = {
        "channel": old.channel.value,
        "occurred_at": _local(old.occurred_at),
        "category": old.category.value,
        "nature": old.notes.nature,
        "actions_taken": old.notes.actions_taken,
        "outcome": old.outcome.value,
        "follow_up_due": old.follow_up_due.isoformat() if old.follow_up_due else "",
        "reason": "",
    }
    errors = errors or {}
    return render(
        request,
        "interactions/correct.html",
        {
            "customer_id": customer_id,
            "purpose": purpose,
            "old": old,
            "corrected": found.corrected,
            "was": was,
            "typed": {**was, **(typed or {})},
            "errors": errors,
            "warned": warned,
            "error_links": _links(errors, warned),
            "text_limit": _text_limit(request),
            "reason_limit": recording.REASON_MAX,
            **_choices(),
        },
        status=status,
    )


@router.get("/customers/{customer_id}/interactions/{interaction_id}/correct")
def correction_form(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    interaction_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    return _correction_page(request, staff, customer_id, interaction_id, chosen)


CORRECTION_FIELDS = (
    "channel",
    "occurred_at",
    "occurred_was",
    "category",
    "nature",
    "actions_taken",
    "outcome",
    "follow_up_due",
    "reason",
)


@router.post("/customers/{customer_id}/interactions/{interaction_id}/corrections")
async def correct_contact(
    request: Request, staff: StaffDep, customer_id: str, interaction_id: str
) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", ""))[:64] or None)
    typed = _typed(form, CORRECTION_FIELDS, _text_limit(request))
    # The time as the form showed it, to the minute: unchanged, it stays as it was logged.
    if typed["occurred_at"].strip() == typed.pop("occurred_was").strip():
        typed_when = {**typed, "occurred_at": ""}
    else:
        typed_when = typed
    when, due, errors = _parsed(typed_when)
    if not typed["reason"].strip():
        errors["reason"] = "Say why the contact is corrected."
    redact, keep = _decision(form)
    warned: Warned | None = None
    if not errors:
        try:
            recording.correct_interaction(
                customer_id,
                interaction_id,
                recording.CorrectInteraction(
                    reason=typed["reason"],
                    nature=typed["nature"],
                    actions_taken=typed["actions_taken"],
                    channel=typed["channel"] or None,
                    category=typed["category"] or None,
                    outcome=typed["outcome"] or None,
                    occurred_at=when,
                    follow_up_due=due,
                    redact=redact,
                    keep=keep,
                ),
                uow=c.uow(),
                actor=staff.actor,
                policy=c.policy,
                clock=c.clock,
            )
        except NoteWarnings as found:
            warned, plain = _warned(found)
            errors = _error_map(plain)
        except InvalidInput as bad:
            errors = _error_map(bad.errors)
    if errors or warned:
        return _correction_page(
            request,
            staff,
            customer_id,
            interaction_id,
            purpose,
            typed=typed,
            errors=errors,
            warned=warned,
            status=422,
        )
    return RedirectResponse(
        f"/customers/{customer_id}/timeline?purpose={purpose}&done=corrected", status_code=303
    )
