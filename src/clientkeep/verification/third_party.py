"""Third parties' requests for a customer's details: recorded by staff, decided by a member
holding ``disclosures.approve`` who did not record it, and answered by one disclosure.

No request gives an automatic right to data. Recording one asks for nothing but the words of
the request (sealed under the customer's key) and fields the purpose shows the member; the
decision may approve fewer fields than were asked for; a disclosure may rest on an approved
request once (``verification.disclosure``). Every step is audited by field name, never value.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import NoReturn, Protocol

from clientkeep.audit.denials import record_denial, records_denials
from clientkeep.audit.model import Outcome, entry_for
from clientkeep.customers.services import load_customer
from clientkeep.customers.shown import naming_shown
from clientkeep.customers.views import display_name, name_fields
from clientkeep.policy import APPROVE_DISCLOSURES
from clientkeep.policy.access import projection_for, require_capability
from clientkeep.policy.model import Policy, Projection
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from clientkeep.shared.ids import new_id
from clientkeep.staff.directory import Directory, directory
from clientkeep.staff.ports import StaffRepository
from clientkeep.verification.ports import ThirdPartyUnitOfWork
from clientkeep.verification.third_party_bases import BASES
from clientkeep.verification.third_party_model import (
    DECISIONS,
    STATUSES,
    Decision,
    RequestDetails,
    RequestNotApproved,
    RequestStatus,
    SameMember,
    ThirdPartyRequest,
)

RECORDED = "third_party_request.recorded"
DECIDED = "third_party_request.decided"
READ = "third_party_request.read"
LISTED = "third_party_requests.listed"
CUSTOMER_READ = "customer.third_party_requests_read"

LINE_MAX = 200
TEXT_MAX = 1000
FIELDS_MAX = 50
PAGE_MAX = 200


@dataclass(frozen=True, slots=True)
class RecordRequest:
    requester: str
    organisation: str
    identity_check: str
    basis: str
    reference: str
    reason: str
    fields: Sequence[str]
    # None: the policy's default purpose.
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class DecideRequest:
    decision: str
    reason: str
    # The fields approved, a subset of those asked; None: every field asked.
    fields: Sequence[str] | None = None


@dataclass(frozen=True, slots=True)
class RequestView:
    """One request as staff read it. Its words (details, the decision's reason) are shown only
    where the purpose read under shows the reader every field asked for: what was said about a
    request for a value goes with the value."""

    id: str
    customer_id: str
    purpose: str
    basis: str
    fields: tuple[str, ...]
    approved_fields: tuple[str, ...] | None
    status: str
    created_by: str
    created_by_name: str
    created_at: datetime
    decided_by: str | None
    decided_by_name: str | None
    decided_at: datetime | None
    disclosure_id: str | None
    details: RequestDetails | None = field(repr=False)
    decision: str | None = field(repr=False)
    # The customer's name as the queue's purpose shows it (the queue only).
    customer_name: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class RequestPage:
    items: list[RequestView]
    # Where the next page starts; None on the last page.
    next_cursor: str | None


class _ReadUnitOfWork(ThirdPartyUnitOfWork, Protocol):
    staff: StaffRepository


def _line(errors: list[tuple[str, str]], name: str, value: str, *, required: bool) -> str:
    text = value.strip()
    if not text:
        if required:
            errors.append((name, "Required."))
    elif len(text) > LINE_MAX or not text.isprintable():
        errors.append((name, f"At most {LINE_MAX} visible characters on one line."))
    return text


def _text(errors: list[tuple[str, str]], name: str, value: str) -> str:
    text = value.replace("\r\n", "\n").strip()
    if not text:
        errors.append((name, "Required."))
    elif len(text) > TEXT_MAX or not text.replace("\n", " ").isprintable():
        errors.append((name, f"At most {TEXT_MAX} visible characters."))
    return text


def _field_names(
    errors: list[tuple[str, str]],
    names: Sequence[str],
    allowed: frozenset[str] | set[str],
    refusal: str,
) -> tuple[str, ...]:
    if not names:
        errors.append(("fields", "Choose at least one detail."))
    if len(names) > FIELDS_MAX:
        errors.append(("fields", f"At most {FIELDS_MAX} details at a time."))
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            errors.append((f"fields.{i}", "This detail is asked for twice."))
        elif name not in allowed:
            errors.append((f"fields.{i}", refusal))
        seen.add(name)
    return tuple(names)


def _checked(
    projection: Projection, command: RecordRequest
) -> tuple[RequestDetails, tuple[str, ...]]:
    errors: list[tuple[str, str]] = []
    if command.basis not in BASES:
        errors.append(("basis", f"Choose one of: {', '.join(BASES)}."))
    details = RequestDetails(
        requester=_line(errors, "requester", command.requester, required=True),
        organisation=_line(errors, "organisation", command.organisation, required=True),
        identity_check=_text(errors, "identity_check", command.identity_check),
        reference=_line(errors, "reference", command.reference, required=False),
        reason=_text(errors, "reason", command.reason),
    )
    # One message for unknown, compare-only and hidden fields: the purpose's rule, not what
    # the policy holds.
    names = _field_names(
        errors,
        list(command.fields),
        projection.on_record,
        f"The {projection.purpose} purpose does not show you this detail.",
    )
    if errors:
        raise InvalidInput(errors)
    return details, names


@records_denials(RECORDED, customer="customer_id")
def record_request(
    customer_id: str,
    command: RecordRequest,
    *,
    uow: ThirdPartyUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> ThirdPartyRequest:
    """Record a third party's request for the customer's details, pending a decision."""
    projection = projection_for(policy, actor.role, command.purpose or policy.default_purpose)
    details, names = _checked(projection, command)
    now = clock.now()
    with uow:
        uow.customers.lock([customer_id])
        customer = load_customer(uow, customer_id)
        request = ThirdPartyRequest(
            id=new_id("tpr"),
            customer_id=customer.id,
            purpose=projection.purpose,
            basis=command.basis,
            fields=names,
            status=RequestStatus.PENDING,
            created_by=actor.id,
            created_at=now,
            details=details,
        )
        uow.third_party_requests.add(request)
        uow.audit.append(
            entry_for(
                actor,
                RECORDED,
                customer_id=customer.id,
                purpose=projection.purpose,
                fields=names,
                detail={"request_id": request.id, "basis": request.basis},
            )
        )
        uow.commit()
    return request


def _refuse_in_unit(
    uow: ThirdPartyUnitOfWork,
    actor: Actor,
    action: str,
    request: ThirdPartyRequest,
    refused: PermissionDenied,
) -> NoReturn:
    """A refusal made once the request (and so its customer) is known: recorded naming them,
    in the caller's unit, committed, then raised."""
    uow.audit.append(
        entry_for(
            actor,
            action,
            outcome=Outcome.DENIED,
            customer_id=request.customer_id,
            purpose=request.purpose,
            detail={"refused": refused.code, "request_id": request.id},
        )
    )
    uow.commit()
    raise refused


def _may_act_under(
    uow: ThirdPartyUnitOfWork, policy: Policy, actor: Actor, action: str, found: ThirdPartyRequest
) -> Projection:
    try:
        return projection_for(policy, actor.role, found.purpose)
    except PermissionDenied as refused:
        _refuse_in_unit(uow, actor, action, found, refused)


def _decision_checked(command: DecideRequest) -> tuple[Decision, str]:
    errors: list[tuple[str, str]] = []
    decision = None
    if command.decision not in DECISIONS:
        errors.append(("decision", f"Choose one of: {', '.join(DECISIONS)}."))
    else:
        decision = Decision(command.decision)
    reason = _text(errors, "reason", command.reason)
    if decision is Decision.REFUSE and command.fields:
        errors.append(("fields", "A refusal approves no details: leave them out."))
    if errors or decision is None:
        raise InvalidInput(errors)
    return decision, reason


def decide(
    request_id: str,
    command: DecideRequest,
    *,
    uow: ThirdPartyUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> ThirdPartyRequest:
    """Approve (all the fields asked, or fewer) or refuse a pending request, with a reason.
    Four eyes: never by the member who recorded it."""
    try:
        require_capability(
            policy, actor.role, APPROVE_DISCLOSURES, "decide third parties' requests"
        )
    except PermissionDenied as refused:
        record_denial(uow, actor, policy, DECIDED, customer_id=None, purpose=None, refused=refused)
        raise
    decision, reason = _decision_checked(command)
    now = clock.now()
    with uow:
        found = uow.third_party_requests.get(request_id)
        if found is None:
            raise NotFound("No such third-party request.")
        uow.customers.lock([found.customer_id])
        load_customer(uow, found.customer_id)
        _may_act_under(uow, policy, actor, DECIDED, found)
        if found.created_by == actor.id:
            _refuse_in_unit(
                uow,
                actor,
                DECIDED,
                found,
                SameMember("You recorded this request: another member must decide it."),
            )
        if found.status is not RequestStatus.PENDING:
            raise Conflict(f"This request is already {found.status.value}: it can be decided once.")
        approved: tuple[str, ...] | None = None
        if decision is Decision.APPROVE:
            errors: list[tuple[str, str]] = []
            asked = list(found.fields) if command.fields is None else list(command.fields)
            approved = _field_names(
                errors, asked, set(found.fields), "This detail was not asked for."
            )
            if errors:
                raise InvalidInput(errors)
        decided = replace(
            found,
            status=RequestStatus.APPROVED if approved is not None else RequestStatus.REFUSED,
            approved_fields=approved,
            decided_by=actor.id,
            decided_at=now,
            decision=reason,
        )
        if not uow.third_party_requests.decide(decided):
            raise Conflict("This request was decided meanwhile: it can be decided once.")
        uow.audit.append(
            entry_for(
                actor,
                DECIDED,
                customer_id=found.customer_id,
                purpose=found.purpose,
                fields=approved or (),
                detail={
                    "request_id": found.id,
                    "decision": decision.value,
                    "basis": found.basis,
                },
            )
        )
        uow.commit()
    return decided


def require_approved(
    uow: ThirdPartyUnitOfWork, request_id: str, *, customer_id: str, fields: Sequence[str]
) -> ThirdPartyRequest:
    """The request, inside the caller's unit, if it is approved, about this customer, not yet
    answered, and approves every field asked for; otherwise ``RequestNotApproved`` (one
    message for every reason, so an id cannot be probed for whose it is or what it allows)."""
    found = uow.third_party_requests.get(request_id)
    if found is None or not found.answers(customer_id, tuple(fields)):
        raise RequestNotApproved(
            "That request is not an approved, unused request about this customer covering "
            "these details: nothing was disclosed."
        )
    return found


def mark_answered(
    uow: ThirdPartyUnitOfWork, request: ThirdPartyRequest, disclosure_id: str
) -> None:
    """The request is used by this disclosure (in the caller's unit); refused as not approved
    if another disclosure took it first."""
    if not uow.third_party_requests.mark_disclosed(request.id, disclosure_id):
        raise RequestNotApproved(
            "That request was answered meanwhile by another disclosure: nothing was disclosed."
        )


def _view(
    found: ThirdPartyRequest,
    people: Directory,
    *,
    opened: bool,
    customer_name: str | None = None,
) -> RequestView:
    label = people.label
    return RequestView(
        id=found.id,
        customer_id=found.customer_id,
        purpose=found.purpose,
        basis=found.basis,
        fields=found.fields,
        approved_fields=found.approved_fields,
        status=found.status.value,
        created_by=found.created_by,
        created_by_name=label(found.created_by),
        created_at=found.created_at,
        decided_by=found.decided_by,
        decided_by_name=label(found.decided_by) if found.decided_by else None,
        decided_at=found.decided_at,
        disclosure_id=found.disclosure_id,
        details=found.details if opened else None,
        decision=found.decision if opened else None,
        customer_name=customer_name,
    )


def _opens(projection: Projection, found: ThirdPartyRequest) -> bool:
    return bool(found.fields) and set(found.fields) <= projection.shown


def request_detail(
    request_id: str, *, uow: _ReadUnitOfWork, actor: Actor, policy: Policy
) -> RequestView:
    """One request, under its own purpose: its words only where that purpose shows the
    reader every field asked for. Audited naming the customer."""
    with uow:
        found = uow.third_party_requests.get(request_id)
        if found is None:
            raise NotFound("No such third-party request.")
        projection = _may_act_under(uow, policy, actor, READ, found)
        opened = _opens(projection, found)
        people = directory(uow.staff)
        uow.audit.append(
            entry_for(
                actor,
                READ,
                customer_id=found.customer_id,
                purpose=found.purpose,
                fields=found.fields if opened else (),
                detail={"request_id": found.id},
            )
        )
        uow.commit()
    return _view(found, people, opened=opened)


@records_denials(CUSTOMER_READ, customer="customer_id")
def customer_requests(
    customer_id: str,
    *,
    purpose: str,
    uow: _ReadUnitOfWork,
    actor: Actor,
    policy: Policy,
) -> list[RequestView]:
    """Every request about the customer, newest first; audited, naming the fields whose
    requests' words it showed."""
    projection = projection_for(policy, actor.role, purpose)
    with uow:
        load_customer(uow, customer_id)
        found = uow.third_party_requests.for_customer(customer_id)
        people = directory(uow.staff)
        opened = {r.id for r in found if _opens(projection, r)}
        uow.audit.append(
            entry_for(
                actor,
                CUSTOMER_READ,
                customer_id=customer_id,
                purpose=projection.purpose,
                fields=tuple(sorted({n for r in found if r.id in opened for n in r.fields})),
                detail={"requests": len(found)},
            )
        )
        uow.commit()
    return [
        _view(r, people, opened=r.id in opened)
        for r in sorted(found, key=lambda r: (r.created_at, r.id), reverse=True)
    ]


def encode_cursor(at: datetime, request_id: str) -> str:
    raw = f"{at.isoformat()}|{request_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# An id as shared.ids makes them: a cursor naming anything else was not issued here.
_REQUEST_ID = re.compile(r"tpr_[a-z2-7]{1,28}")


def decode_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, sep, request_id = raw.partition("|")
        if not sep or not _REQUEST_ID.fullmatch(request_id):
            raise ValueError(cursor)
        when = datetime.fromisoformat(at)
        if when.tzinfo is None:
            raise ValueError(cursor)
        return when, request_id
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput([("cursor", "The cursor is not one this server issued.")]) from None


@records_denials(LISTED)
def queue(
    *,
    status: str = RequestStatus.PENDING.value,
    limit: int = 50,
    cursor: str | None = None,
    uow: _ReadUnitOfWork,
    actor: Actor,
    policy: Policy,
) -> RequestPage:
    """The requests in ``status`` across customers, oldest first, a page at a time, for the
    members who decide them. Each shows its customer's name as the policy's default purpose
    shows it (and nothing of the request's words); every customer shown is audited by id."""
    require_capability(policy, actor.role, APPROVE_DISCLOSURES, "read the requests' queue")
    errors: list[tuple[str, str]] = []
    if status not in STATUSES:
        errors.append(("status", f"Choose one of: {', '.join(STATUSES)}."))
    if not 1 <= limit <= PAGE_MAX:
        errors.append(("limit", f"Between 1 and {PAGE_MAX}."))
    if errors:
        raise InvalidInput(errors)
    after = decode_cursor(cursor)
    projection = projection_for(policy, actor.role, policy.default_purpose)
    names = name_fields(projection)
    with uow:
        found = uow.third_party_requests.by_status(status, limit=limit + 1, after=after)
        page, more = found[:limit], len(found) > limit
        people = directory(uow.staff)
        ids = sorted({r.customer_id for r in page})
        customers = {c.id: c for c in uow.customers.get_many(ids, fields=names)}
        shown_names = tuple(sorted(names))
        uow.audit.append(
            naming_shown(
                entry_for(
                    actor,
                    LISTED,
                    purpose=projection.purpose,
                    fields=shown_names,
                    detail={"status": status, "requests": len(page)},
                ),
                dict.fromkeys(
                    (r.customer_id for r in page if r.customer_id in customers), shown_names
                ),
            )
        )
        uow.commit()
    items = [
        _view(
            r,
            people,
            opened=False,
            customer_name=display_name(customers[r.customer_id], projection)
            if r.customer_id in customers
            else None,
        )
        for r in page
    ]
    last = page[-1] if more and page else None
    return RequestPage(
        items=items, next_cursor=encode_cursor(last.created_at, last.id) if last else None
    )


def lookup(request_id: str, *, uow: ThirdPartyUnitOfWork) -> ThirdPartyRequest:
    """A request's plain facts (status, fields, basis) for a screen deciding what to offer; not
    audited, and its words are not for showing: read them through ``request_detail``."""
    with uow:
        found = uow.third_party_requests.get(request_id)
    if found is None:
        raise NotFound("No such third-party request.")
    return found
