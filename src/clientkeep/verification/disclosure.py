"""Telling a verified caller what the record holds, and the log of every such disclosure.

A disclosure rests on a verification that proves the caller to this member of staff about
this customer now, and supplies only fields the purpose shows the role, as the record shows
them. The log keeps who told whom which fields, when, how and on what verification; never the
values told. To whom is free text about a person, so it is sealed under the customer's key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers import values
from clientkeep.customers.model import Customer
from clientkeep.customers.services import load_customer
from clientkeep.policy.access import projection_for
from clientkeep.policy.model import Policy, Projection
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, NotFound
from clientkeep.shared.ids import new_id
from clientkeep.staff.directory import Directory, directory
from clientkeep.staff.ports import StaffRepository
from clientkeep.verification.disclosure_model import CHANNELS, Channel, Disclosure
from clientkeep.verification.model import Method, NotVerified
from clientkeep.verification.ports import DisclosureUnitOfWork
from clientkeep.verification.services import require_verified
from clientkeep.verification.third_party import mark_answered, require_approved
from clientkeep.verification.third_party_bases import basis_label
from clientkeep.verification.third_party_model import ThirdPartyRequest

RECIPIENT_MAX = 200
FIELDS_MAX = 50


@dataclass(frozen=True, slots=True)
class Disclose:
    # What the disclosure rests on: a verification of the caller, or (``request_id``) an
    # approved third-party request. Exactly one.
    verification_id: str | None
    fields: Sequence[str]
    channel: str
    recipient: str
    # None: the policy's default purpose (with a request: the request's own).
    purpose: str | None = None
    request_id: str | None = None


@dataclass(frozen=True, slots=True)
class Disclosed:
    disclosure_id: str
    # {field name: the value as the record displays it}, in the order asked for.
    values: dict[str, str] = field(repr=False)


def _checked(policy: Policy, projection: Projection, command: Disclose) -> tuple[str, ...]:
    errors: list[tuple[str, str]] = []
    names = list(command.fields)
    if not names:
        errors.append(("fields", "Choose at least one detail to tell the caller."))
    if len(names) > FIELDS_MAX:
        errors.append(("fields", f"At most {FIELDS_MAX} details at a time."))
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            errors.append((f"fields.{i}", "This detail is asked for twice."))
        elif name not in projection.on_record:
            # One message for unknown, compare-only and hidden fields: the caller learns the
            # purpose's rule, not what the policy holds.
            errors.append(
                (f"fields.{i}", f"The {projection.purpose} purpose does not show you this detail.")
            )
        seen.add(name)
    if command.channel not in CHANNELS:
        errors.append(("channel", f"Choose one of: {', '.join(CHANNELS)}."))
    recipient = command.recipient.strip()
    if not recipient:
        errors.append(("recipient", "Say who was told (for example: the caller)."))
    elif len(recipient) > RECIPIENT_MAX or not recipient.isprintable():
        errors.append(("recipient", f"At most {RECIPIENT_MAX} visible characters on one line."))
    if errors:
        raise InvalidInput(errors)
    return tuple(names)


def _values(policy: Policy, customer: Customer, names: Sequence[str]) -> dict[str, str]:
    missing = [(i, n) for i, n in enumerate(names) if n not in customer.fields]
    if missing:
        raise InvalidInput(
            [(f"fields.{i}", "The record holds nothing for this detail.") for i, _ in missing]
        )
    return {n: values.display(policy.fields[n], customer.fields[n].value) for n in names}


def _record(
    uow: DisclosureUnitOfWork, actor: Actor, disclosure: Disclosure, rested_on: dict[str, str]
) -> None:
    """The disclosure and its audit event, in the caller's unit: field names, never values."""
    uow.disclosures.add(disclosure)
    uow.audit.append(
        entry_for(
            actor,
            "customer.disclosed",
            customer_id=disclosure.customer_id,
            purpose=disclosure.purpose,
            fields=disclosure.fields,
            detail={
                "disclosure_id": disclosure.id,
                "channel": disclosure.channel.value,
                **rested_on,
            },
        )
    )


@records_denials("customer.disclosed", customer="customer_id")
def disclose(
    customer_id: str,
    command: Disclose,
    *,
    uow: DisclosureUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> Disclosed:
    """Supply the fields asked for to a caller this member of staff has verified, or to the
    third party of an approved request; the disclosure and its audit event are written in one
    unit, before anything is answered."""
    if command.request_id is not None:
        return _answer_request(
            customer_id, command, uow=uow, actor=actor, policy=policy, clock=clock
        )
    projection = projection_for(policy, actor.role, command.purpose or policy.default_purpose)
    names = _checked(policy, projection, command)
    now = clock.now()
    with uow:
        uow.customers.lock([customer_id])
        customer = load_customer(uow, customer_id)
        proof = require_verified(
            uow,
            command.verification_id,
            customer_id=customer.id,
            actor=actor,
            now=now,
            fields=names,
            action="disclose",
        )
        told = _values(policy, customer, names)
        disclosure = Disclosure(
            id=new_id("dis"),
            customer_id=customer.id,
            staff_id=actor.id,
            at=now,
            purpose=projection.purpose,
            channel=Channel(command.channel),
            fields=names,
            verification_id=proof.id,
            recipient=command.recipient.strip(),
        )
        _record(uow, actor, disclosure, {"verification_id": proof.id})
        uow.commit()
    return Disclosed(disclosure_id=disclosure.id, values=told)


def _answer_request(
    customer_id: str,
    command: Disclose,
    *,
    uow: DisclosureUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> Disclosed:
    """A disclosure resting on an approved third-party request: about its customer, of
    fields it approved, once. Any other request is refused alike, and nothing is told."""
    request_id = command.request_id or ""
    if command.verification_id:
        raise InvalidInput(
            [("request_id", "Give a verification or a third-party request, not both.")]
        )
    now = clock.now()
    with uow:
        uow.customers.lock([customer_id])
        customer = load_customer(uow, customer_id)
        request = require_approved(
            uow, request_id, customer_id=customer.id, fields=tuple(command.fields)
        )
        projection = projection_for(policy, actor.role, command.purpose or request.purpose)
        if projection.purpose != request.purpose:
            raise InvalidInput(
                [("purpose", "A third-party request is answered under its own purpose.")]
            )
        names = _checked(policy, projection, command)
        told = _values(policy, customer, names)
        disclosure = Disclosure(
            id=new_id("dis"),
            customer_id=customer.id,
            staff_id=actor.id,
            at=now,
            purpose=projection.purpose,
            channel=Channel(command.channel),
            fields=names,
            verification_id=None,
            recipient=command.recipient.strip(),
            request_id=request.id,
        )
        mark_answered(uow, request, disclosure.id)
        _record(uow, actor, disclosure, {"request_id": request.id, "basis": request.basis})
        uow.commit()
    return Disclosed(disclosure_id=disclosure.id, values=told)


def basis_text(disclosure: Disclosure, request: ThirdPartyRequest | None, people: Directory) -> str:
    """What a disclosure rested on, as staff read it."""
    if disclosure.request_id is None:
        return f"verified caller ({disclosure.verification_id})"
    if request is None:
        return f"third-party request {disclosure.request_id}"
    approver = people.label(request.decided_by) if request.decided_by else "nobody"
    return (
        f"third-party request {request.id} ({basis_label(request.basis)}), approved by {approver}"
    )


def _require_recent(policy: Policy, found: Disclosure, now: datetime) -> None:
    """A disclosure answering a request rests on no check that lasts; its maker may read it
    again (to print the letter) for as long as a knowledge check would have lasted."""
    method = policy.verification.get(Method.KNOWLEDGE.value)
    minutes = method.valid_for_minutes if method is not None else 15
    if now >= found.at + timedelta(minutes=minutes):
        raise NotVerified(
            "That disclosure was made too long ago to be shown again: the log records it."
        )


@records_denials("customer.read", customer="customer_id")
def shown_again(
    customer_id: str,
    disclosure_id: str,
    *,
    uow: DisclosureUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> Disclosed:
    """The values of one disclosure read again from the record, for the page after it or its
    letter: only for the member who made it, while its verification still proves the caller
    (for a third-party request, as long after the disclosure as a check lasts), and only the
    fields it logged that the purpose still shows. Audited as a read of those fields."""
    now = clock.now()
    with uow:
        found = uow.disclosures.get(disclosure_id)
        if found is None or found.customer_id != customer_id or found.staff_id != actor.id:
            raise NotFound("No such disclosure of yours for this customer.")
        projection = projection_for(policy, actor.role, found.purpose)
        customer = load_customer(uow, customer_id)
        if found.request_id is not None:
            _require_recent(policy, found, now)
        else:
            require_verified(
                uow,
                found.verification_id,
                customer_id=customer.id,
                actor=actor,
                now=now,
                fields=found.fields,
                action="disclose",
            )
        names = tuple(n for n in found.fields if projection.shows(n) and n in customer.fields)
        told = _values(policy, customer, names)
        uow.audit.append(
            entry_for(
                actor,
                "customer.read",
                customer_id=customer.id,
                purpose=found.purpose,
                fields=names,
                detail={"disclosure_id": found.id},
            )
        )
        uow.commit()
    return Disclosed(disclosure_id=found.id, values=told)


@dataclass(frozen=True, slots=True)
class DisclosureView:
    """One entry of the log as staff read it. To whom is shown only where the purpose read
    under shows every field told: who heard a value goes with the value."""

    id: str
    at: datetime
    by: str
    by_name: str
    recipient: str | None = field(repr=False)
    fields: tuple[str, ...]
    channel: str
    purpose: str
    verification_id: str | None
    request_id: str | None = None
    # What it rested on, in words: "verified caller (ver_...)" or "third-party request
    # tpr_... (its basis), approved by NAME".
    basis: str = ""


class _LogUnitOfWork(DisclosureUnitOfWork, Protocol):
    staff: StaffRepository


@records_denials("customer.disclosures_read", customer="customer_id")
def disclosure_log(
    customer_id: str,
    *,
    purpose: str,
    uow: _LogUnitOfWork,
    actor: Actor,
    policy: Policy,
) -> list[DisclosureView]:
    """Every disclosure about the customer, newest first; audited, naming the fields whose
    recipients it showed."""
    projection = projection_for(policy, actor.role, purpose)
    with uow:
        load_customer(uow, customer_id)
        found = uow.disclosures.for_customer(customer_id)
        people = directory(uow.staff)
        opened = {d.id for d in found if d.fields and set(d.fields) <= projection.shown}
        requests = {
            d.request_id: uow.third_party_requests.get(d.request_id)
            for d in found
            if d.request_id is not None
        }
        uow.audit.append(
            entry_for(
                actor,
                "customer.disclosures_read",
                customer_id=customer_id,
                purpose=projection.purpose,
                fields=tuple(sorted({n for d in found if d.id in opened for n in d.fields})),
                detail={"disclosures": len(found)},
            )
        )
        uow.commit()
    return [
        DisclosureView(
            id=d.id,
            at=d.at,
            by=d.staff_id,
            by_name=people.label(d.staff_id),
            recipient=d.recipient if d.id in opened else None,
            fields=d.fields,
            channel=d.channel.value,
            purpose=d.purpose,
            verification_id=d.verification_id,
            request_id=d.request_id,
            basis=basis_text(d, requests.get(d.request_id or ""), people),
        )
        for d in sorted(found, key=lambda d: (d.at, d.id), reverse=True)
    ]
