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
    reveal_asked,
    summary_links,
)
from clientkeep.adapters.web.render import render
from clientkeep.adapters.web.session import SignedInStaff, StaffDep, check_csrf
from clientkeep.bootstrap import Container
from clientkeep.customers import services as customers
from clientkeep.customers.model import CALLER_CHANNELS, INTERNAL_SOURCES, Source
from clientkeep.customers.values import UnlistedPhoneNumber
from clientkeep.customers.views import CustomerView
from clientkeep.matching.model import Match
from clientkeep.policy.model import FieldType
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.verification import caller_changes, masking
from clientkeep.verification import services as verification
from clientkeep.verification.model import Verification

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
# The edit form's "Who asked for this change?": the caller (on a verification), or nobody on
# the line: an internal correction, which says where it came from.
CALLER_SOURCE_LABELS = {
    Source.PHONE: "By phone",
    Source.IN_PERSON: "In person",
    Source.WEB: "Online",
}
INTERNAL_SOURCE_LABELS = {
    Source.RETURNED_POST: "Returned post (a letter came back undelivered)",
    Source.INTERNAL_RECORDS: "Our other records (another system of ours)",
    Source.POST: "A letter from the customer",
    Source.EMAIL: "An email from the customer",
    Source.IMPORT: "An import of records",
}
SAY_WHO_ASKED = "Say who asked for this change: the caller, or an internal correction."
SAY_WHERE_FROM = "Choose where the correction came from."


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
        targets["caller_source"] = "caller_source"
        # The first choice on screen: the caller's only when they were verified.
        targets["asked_by"] = "asked_by_caller" if extra.get("proof") else "asked_by_internal"
        extra = {
            "caller_sources": [(s.value, CALLER_SOURCE_LABELS[s]) for s in CALLER_CHANNELS],
            "internal_sources": [(s.value, INTERNAL_SOURCE_LABELS[s]) for s in INTERNAL_SOURCES],
            **extra,
        }
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
            # A new record's details come from somewhere; never from a letter returned.
            "sources": [s.value for s in Source if s is not Source.RETURNED_POST],
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


def _proof(c: Container, staff: SignedInStaff, customer_id: str) -> Verification | None:
    """This member's check of the caller that still proves them, if any: it decides only
    whether the form offers "the caller"; the change checks it again under the lock."""
    return verification.current_proof(
        customer_id, uow=c.uow(), actor=staff.actor, now=c.clock.now()
    )


@router.get("/{customer_id}/edit")
def edit_form(
    request: Request,
    staff: StaffDep,
    customer_id: str,
    purpose: Annotated[str | None, Query(max_length=64)] = None,
    reveal: Annotated[str | None, Query(max_length=32)] = None,
) -> Response:
    # Read as the customer page is: details the purpose hides until the caller is verified
    # are not pre-filled (nor carried as originals), unless this member said, with a
    # reason, that nobody is on the line (the Details tab's reveal carries the reason here).
    c = container(request)
    chosen = chosen_purpose(c, staff, purpose)
    caller = masking.read_for_caller(
        customer_id,
        purpose=chosen,
        reveal=reveal_asked(request, reveal),
        uow=c.uow(),
        actor=staff.actor,
        policy=c.policy,
        clock=c.clock,
    )
    values = {n: f.display for n, f in caller.view.fields.items()}
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
        # Nothing chosen for them: who asked is a fact to state, never a default.
        asked_by="",
        source="",
        caller_source=Source.PHONE.value,
        proof=_proof(c, staff, customer_id),
        masked=[n for n, _ in caller.hidden],
    )


def _edit_errors(
    exc: InvalidInput,
    c: Container,
    staff: SignedInStaff,
    purpose: str,
    *,
    given: set[str],
    consent: frozenset[str],
    on_behalf: bool,
) -> dict[str, str]:
    """As ``_errors``, with where the change came from told in the form's words: a source
    problem is about the select of the choice made."""
    found = _errors(exc, c, staff, purpose, given=given, consent=consent)
    if "source" in found:
        found.pop("source")
        if on_behalf:
            found["caller_source"] = "Choose how the caller reached you."
        else:
            found["source"] = SAY_WHERE_FROM
    return found


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
    asked_by = str(form.get("asked_by", ""))
    on_behalf = asked_by == "caller"
    source = str(form.get("source", ""))
    caller_source = str(form.get("caller_source", "")) or Source.PHONE.value
    verification_id = str(form.get("verification_id", "")) or None
    # Field names only: which details the form showed hidden, so an error page hides them too.
    masked = [n for n in form.getlist("masked") if isinstance(n, str) and n in names]
    cmd = customers.UpdateCustomer(
        purpose=purpose,
        fields=changes,
        reason=reason,
        source=caller_source if on_behalf else source or None,
        explicit_consent=consent,
        accept_unlisted_phones=keep_unlisted & set(changes),
        on_behalf_of_customer=on_behalf,
    )

    def save() -> CustomerView:
        if on_behalf:
            return caller_changes.update_for_caller(
                customer_id,
                cmd,
                verification_id,
                uow=c.uow(),
                actor=staff.actor,
                policy=c.policy,
                clock=c.clock,
            )
        return customers.update(
            customer_id, cmd, uow=c.uow(), actor=staff.actor, policy=c.policy, clock=c.clock
        )

    async def again(errors: dict[str, str], status: int, unlisted: frozenset[str]) -> Response:
        # Everything ticked comes back ticked, as everything typed comes back typed; the
        # caller's verification is looked up again, as it may have lapsed meanwhile.
        proof = await run_in_threadpool(_proof, c, staff, customer_id)
        return _form(
            request,
            staff,
            "records/edit.html",
            purpose,
            values=typed,
            errors=errors,
            status=status,
            customer_id=customer_id,
            original=original,
            reason=reason,
            asked_by=asked_by,
            source=source,
            caller_source=caller_source,
            proof=proof,
            consent=ticked,
            unlisted=unlisted,
            kept_unlisted=keep_unlisted,
            removed=removed,
            masked=masked,
        )

    if asked_by not in ("caller", "internal"):
        return await again({"asked_by": SAY_WHO_ASKED}, 422, keep_unlisted)
    try:
        await run_in_threadpool(save)
    except InvalidInput as exc:
        given = {n for n, v in changes.items() if v is not None}
        errors = _edit_errors(
            exc, c, staff, purpose, given=given, consent=consent, on_behalf=on_behalf
        )
        return await again(errors, 422, _unlisted_asked(exc, keep_unlisted))
    except PermissionDenied as exc:
        # Not verified (or no longer, or not for these details): the refusal is recorded;
        # the form comes back with the message where the choice is, and nothing saved.
        if not on_behalf:
            raise
        return await again({"asked_by": exc.message}, 403, keep_unlisted)
    return RedirectResponse(
        f"/customers/{customer_id}?purpose={purpose}&done=updated", status_code=303
    )
