"""The new-customer and edit forms: inline errors, nothing saved until everything is right."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from clientkeep.adapters.web._records_common import (
    chosen_purpose,
    container,
    form_fields,
    input_type,
    purposes_for,
    summary_links,
)
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.bootstrap import Container
from clientkeep.customers import services as customers
from clientkeep.customers.model import Source
from clientkeep.customers.values import UnlistedPhoneNumber
from clientkeep.matching.model import Match
from clientkeep.policy.model import FieldType
from clientkeep.shared.errors import InvalidInput

router = APIRouter(prefix="/customers")

# The Article 9 condition under which a special-category value needs the customer's explicit
# consent, as the policy names it.
EXPLICIT_CONSENT = "explicit_consent"
# The second step for a phone number in no range known to be in use: the form comes back with
# everything typed and a box to tick beside the number.
UNLISTED_PHONE = (
    "This number is not in a range we know is in use. Read it back to the customer, then "
    "tick to keep it."
)


def _form(
    request: Request,
    staff: SignedInStaff,
    template: str,
    purpose: str,
    *,
    values: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
    **extra: object,
) -> Response:
    c = container(request)
    fields = form_fields(c, staff, purpose)
    # Every control an error can be about; anything else is about the form as a whole.
    targets = {f.name: f"field_{f.name}" for f in fields} | {"source": "source"}
    if template == "records/edit.html":
        targets["reason"] = "reason"
    return render(
        request,
        template,
        {
            "purpose": purpose,
            "purposes": purposes_for(c, staff),
            "fields": fields,
            "input_type": input_type,
            "values": values,
            "errors": errors,
            "error_links": summary_links(errors, targets, {f.name: f.label for f in fields}),
            "sources": [s.value for s in Source],
            **extra,
        },
        status=status,
    )


def _errors(
    exc: InvalidInput,
    c: Container,
    staff: SignedInStaff,
    purpose: str,
    *,
    given: set[str],
    consent: frozenset[str],
) -> dict[str, str]:
    """Each problem under the name of the control at fault, in words staff use.

    ``given`` are the fields a value was typed for and ``consent`` those whose consent box
    was ticked. Where the purpose holds special-category data on explicit consent, such a
    value given without its tick is refused for that alone (the check stops there), so the
    message is told in terms of the box on the screen rather than the policy's names.
    """
    on_consent = c.policy.purpose(purpose).article9_condition == EXPLICIT_CONSENT
    by_name = {f.name: f for f in form_fields(c, staff, purpose)}
    found: dict[str, str] = {}
    for field, message in exc.errors:
        key = field.removeprefix("fields.")
        definition = by_name.get(key)
        if on_consent and definition and definition.is_special and key in given - consent:
            message = (
                f"{definition.label} is {definition.special_kind} information: record it only "
                "if the customer has explicitly agreed, and tick the box to say they did."
            )
        elif key == "explicit_consent":
            message = "Consent can only be recorded together with the detail it covers."
        elif isinstance(exc, UnlistedPhoneNumber) and key in exc.fields:
            message = UNLISTED_PHONE
        found.setdefault(key, message)
    return found


def _typed(form: FormData, names: list[str]) -> dict[str, str]:
    return {n: str(form.get(f"field_{n}", "")).strip() for n in names}


def _unlisted_ticked(c: Container, form: FormData, names: list[str]) -> frozenset[str]:
    """The phone fields whose "I read it back, keep it" box was ticked."""
    phones = {n for n in names if c.policy.fields[n].type is FieldType.PHONE}
    return frozenset(n for n in phones if form.get(f"unlisted_{n}") == "yes")


def _unlisted_asked(exc: InvalidInput, ticked: frozenset[str]) -> frozenset[str]:
    """Where the form shows the keep-it box: numbers refused as unlisted, and boxes ticked."""
    return (exc.fields if isinstance(exc, UnlistedPhoneNumber) else frozenset()) | ticked


def _purpose_changed(
    request: Request, staff: SignedInStaff, form: FormData, shown: str, chosen: str
) -> Response:
    """The new-customer form under another purpose, keeping what was typed that it still
    uses; the rest is dropped (minimisation) and named by label, never echoed."""
    c = container(request)
    before = form_fields(c, staff, shown)
    now_shown = {f.name for f in form_fields(c, staff, chosen)}
    typed = _typed(form, [f.name for f in before])
    kept = {n: v for n, v in typed.items() if v and n in now_shown}
    dropped = [f.label for f in before if typed.get(f.name) and f.name not in now_shown]
    ticked = {n for n in kept if form.get(f"consent_{n}") == "yes"}
    keep_unlisted = _unlisted_ticked(c, form, list(kept))
    return _form(
        request,
        staff,
        "records/new.html",
        chosen,
        values=kept,
        errors={},
        source=str(form.get("source", "phone")),
        consent=ticked,
        unlisted=keep_unlisted,
        kept_unlisted=keep_unlisted,
        confirmed=form.get("confirmed") == "yes",
        dropped=dropped,
        # "Change purpose" pressed with the same purpose chosen: the form comes back, saying
        # nothing was saved.
        purpose_notice="changed" if chosen != shown else "unchanged",
    )


@router.get("/new")
def new_form(
    request: Request, staff: StaffDep, purpose: Annotated[str | None, Query(max_length=64)] = None
) -> Response:
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    return _form(request, staff, "records/new.html", chosen, values={}, errors={}, source="phone")


# These two read a form whose field names come from the policy, so they are async to await it;
# the use case itself runs in the thread pool, off the event loop.
@router.post("/new")
async def create(request: Request, staff: StaffDep) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", "")))
    # The purpose the fields on screen were shown for: a changed choice shows the new
    # purpose's fields (keeping what was typed) and never saves across purposes.
    shown = chosen_purpose(c, staff, str(form.get("shown_purpose", "")) or purpose)
    if form.get("change_purpose") == "yes" or shown != purpose:
        return _purpose_changed(request, staff, form, shown, purpose)
    names = [f.name for f in form_fields(c, staff, purpose)]
    typed = _typed(form, names)
    consent = frozenset(n for n in names if form.get(f"consent_{n}") == "yes")
    ticked = _unlisted_ticked(c, form, names)
    source = str(form.get("source", "phone"))
    given = {n for n, v in typed.items() if v}
    cmd = customers.RegisterCustomer(
        purpose=purpose,
        fields={n: v for n, v in typed.items() if v},
        source=source,
        confirmed_with_customer=form.get("confirmed") == "yes",
        explicit_consent=consent & given,
        accept_unlisted_phones=ticked & given,
    )

    def check() -> list[Match]:
        return customers.find_duplicates_before_saving(
            cmd,
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
            duplicates=c.duplicate_finder,
        )

    def save() -> customers.Registered:
        return customers.register(
            cmd,
            uow=c.uow(),
            actor=staff.actor,
            policy=c.policy,
            clock=c.clock,
            duplicates=c.duplicate_finder,
        )

    try:
        # Likely duplicates are shown before saving: staff open the existing record, or save
        # a new one knowingly.
        if form.get("save_anyway") != "yes":
            found = await run_in_threadpool(check)
            if found:
                return _form(
                    request,
                    staff,
                    "records/new.html",
                    purpose,
                    values=typed,
                    errors={},
                    source=source,
                    consent=consent,
                    unlisted=ticked,
                    kept_unlisted=ticked,
                    duplicates=found,
                    confirmed=cmd.confirmed_with_customer,
                )
        done = await run_in_threadpool(save)
    except InvalidInput as exc:
        return _form(
            request,
            staff,
            "records/new.html",
            purpose,
            values=typed,
            errors=_errors(exc, c, staff, purpose, given=given, consent=consent),
            status=422,
            source=source,
            consent=consent,
            unlisted=_unlisted_asked(exc, ticked),
            kept_unlisted=ticked,
            confirmed=cmd.confirmed_with_customer,
        )
    # POST/redirect/GET: a reload shows the record again and never registers it twice.
    notice = "saved_beside_duplicates" if done.possible_duplicates else "saved"
    return RedirectResponse(
        f"/customers/{done.customer.id}?purpose={purpose}&done={notice}", status_code=303
    )


@router.get("/{customer_id}/edit")
def edit_form(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    view = customers.read(
        customer_id, purpose=chosen, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
    )
    values = {n: f.display for n, f in view.fields.items()}
    return _form(
        request,
        staff,
        "records/edit.html",
        chosen,
        values=values,
        errors={},
        customer_id=customer_id,
        original=values,
        reason="",
        source="phone",
    )


@router.post("/{customer_id}/edit")
async def edit(request: Request, staff: StaffDep, customer_id: str) -> Response:
    form = await request.form()
    check_csrf(staff.session.csrf_token, str(form.get("csrf_token") or "") or None)
    c = container(request)
    purpose = chosen_purpose(c, staff, str(form.get("purpose", "")))
    names = [f.name for f in form_fields(c, staff, purpose)]
    typed = _typed(form, names)
    original = {n: str(form.get(f"original_{n}", "")) for n in names}
    removed = {n for n in names if form.get(f"remove_{n}") == "yes"}
    changes: dict[str, str | None] = {n: None for n in removed}
    changes.update(
        {n: v for n, v in typed.items() if n not in removed and v and v != original.get(n)}
    )
    ticked = frozenset(n for n in names if form.get(f"consent_{n}") == "yes")
    consent = ticked & set(changes)
    keep_unlisted = _unlisted_ticked(c, form, names)
    reason = str(form.get("reason", ""))
    source = str(form.get("source", "phone"))
    try:
        await run_in_threadpool(
            lambda: customers.update(
                customer_id,
                customers.UpdateCustomer(
                    purpose=purpose,
                    fields=changes,
                    reason=reason,
                    source=source,
                    explicit_consent=consent,
                    accept_unlisted_phones=keep_unlisted & set(changes),
                ),
                uow=c.uow(),
                actor=staff.actor,
                policy=c.policy,
                clock=c.clock,
            )
        )
    except InvalidInput as exc:
        given = {n for n, v in changes.items() if v is not None}
        # Everything ticked comes back ticked, as everything typed comes back typed.
        return _form(
            request,
            staff,
            "records/edit.html",
            purpose,
            values=typed,
            errors=_errors(exc, c, staff, purpose, given=given, consent=consent),
            status=422,
            customer_id=customer_id,
            original=original,
            reason=reason,
            source=source,
            consent=ticked,
            unlisted=_unlisted_asked(exc, keep_unlisted),
            kept_unlisted=keep_unlisted,
            removed=removed,
        )
    return RedirectResponse(
        f"/customers/{customer_id}?purpose={purpose}&done=updated", status_code=303
    )
