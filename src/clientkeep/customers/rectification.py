"""Correcting a record, and recording that the customer confirmed it: every change keeps who,
when, why and the old value. Each locks the customer first, so concurrent changes to one
record take turns and each starts from the other's result.

A correction is either one the caller asks for (``on_behalf_of_customer``), which rests on a
verification of that caller checked through a ``CallerCheck`` under the lock, or an internal
one, which says where it came from (returned post, our other records, a letter or email from
the customer, an import) and never a caller channel: a change a caller asks for is never made
as if nobody had asked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers._collect import collect, require_complete
from clientkeep.customers._records import (
    change_source_of,
    load_locked,
    new_reference,
    reason_of,
    records_of,
    rewrite_terms,
)
from clientkeep.customers.model import Change, ChangeKind
from clientkeep.customers.ports import CallerCheck, CustomerUnitOfWork
from clientkeep.customers.views import CustomerView, view_of
from clientkeep.policy.access import projection_for, purpose_for
from clientkeep.policy.model import FieldDef, Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import new_id

CONFIRM_METHODS = ("phone", "email", "in_person", "post", "web", "sms")


@dataclass(frozen=True, slots=True)
class UpdateCustomer:
    purpose: str
    fields: Mapping[str, str | None]
    reason: str
    # Where the change came from. On behalf of the customer: a caller channel, the phone if
    # None. An internal correction: one of model.INTERNAL_SOURCES, and it must be given.
    source: str | None = None
    confirmed_with_customer: bool = False
    explicit_consent: frozenset[str] = field(default_factory=frozenset)
    # As for registration: phone fields whose unlisted number staff read back and keep.
    accept_unlisted_phones: frozenset[str] = field(default_factory=frozenset)
    # The caller asked for this change: it needs a verification of them (see ``update``).
    on_behalf_of_customer: bool = False


@records_denials("customer.updated", customer="customer_id")
def update(
    customer_id: str,
    cmd: UpdateCustomer,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    caller: CallerCheck | None = None,
) -> CustomerView:
    """Rectify: every change keeps who, when, why and the old value.

    On behalf of the customer, ``caller`` must prove the caller for the fields changed
    (verification's ``caller_changes.update_for_caller`` supplies it); without it, or when it
    says no, nothing is written and the refusal is recorded."""
    purpose = purpose_for(policy, actor.role, cmd.purpose)
    reason = reason_of(cmd.reason)
    source = change_source_of(cmd.source, on_behalf=cmd.on_behalf_of_customer)
    if not cmd.fields:
        raise InvalidInput([("fields", "Give at least one field to change.")])
    now = clock.now()
    collected = collect(
        policy,
        actor,
        purpose,
        cmd.fields,
        explicit_consent=cmd.explicit_consent,
        today=now.date(),
        accept_unlisted=cmd.accept_unlisted_phones,
    )
    with uow:
        (customer,) = load_locked(uow, customer_id)
        changed = {n: v for n, v in collected.values.items() if customer.value(n) != v}
        removed = {n for n in collected.removed if customer.value(n) is not None}
        detail: dict[str, str | int | bool | None] = {"source": source.value}
        if cmd.on_behalf_of_customer:
            if caller is None:
                raise PermissionDenied(
                    "Verify the caller first: a change the caller asks for rests on their "
                    "verification."
                )
            detail["verification_id"] = caller(uow, customer_id, frozenset(changed) | removed, now)
        after = {n for n in customer.fields if n not in removed} | set(changed)
        require_complete(purpose, after & purpose.fields, policy)
        unchanged = len(cmd.fields) - len(changed) - len(removed)
        reference = policy.field_roles.reference
        # A record made under a purpose without references gets one when a purpose that
        # uses them first changes it.
        given_reference = (
            (changed or removed)
            and reference in purpose.fields
            and customer.value(reference) is None
        )
        if given_reference:
            changed[reference] = new_reference(uow, policy)
        records = records_of(
            changed,
            actor=actor,
            source=source,
            confirmed=cmd.confirmed_with_customer,
            now=now,
            consented=cmd.explicit_consent,
            unlisted=collected.unlisted,
        )
        if records:
            uow.customers.set_fields(customer_id, records, now)
        if removed:
            uow.customers.remove_fields(customer_id, removed, now)
        if records or removed:
            whole = {n: r.value for n, r in customer.fields.items() if n not in removed}
            whole.update({n: r.value for n, r in records.items()})
            rewrite_terms(uow, policy, customer_id, set(records) | removed, whole)
        uow.history.add(
            Change(
                id=new_id("chg"),
                customer_id=customer_id,
                field=name,
                kind=_kind_of(name, removed, reference if given_reference else None),
                old_value=customer.value(name),
                new_value=changed.get(name),
                reason=f"given for {purpose.name}"
                if name == reference and given_reference
                else reason,
                changed_at=now,
                changed_by=actor.id,
            )
            for name in sorted(set(changed) | removed)
        )
        uow.audit.append(
            entry_for(
                actor,
                "customer.updated",
                customer_id=customer_id,
                purpose=purpose.name,
                fields=tuple(sorted(set(changed) | removed)),
                detail={"unchanged": unchanged, **detail},
            )
        )
        fresh = replace(
            customer,
            # Nothing written, nothing moved: the answer is the record as stored.
            updated_at=now if records or removed else customer.updated_at,
            fields={**{n: r for n, r in customer.fields.items() if n not in removed}, **records},
        )
        view = view_of(fresh, policy=policy, role=actor.role, purpose=purpose.name, now=now)
        uow.commit()
    return view


def _kind_of(name: str, removed: set[str], given: str | None) -> ChangeKind:
    if name in removed:
        return ChangeKind.REMOVED
    return ChangeKind.COLLECTED if name == given else ChangeKind.RECTIFIED


@records_denials("customer.confirmed", customer="customer_id")
def confirm(
    customer_id: str,
    field_names: list[str],
    method: str,
    *,
    purpose: str,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> CustomerView:
    """Record that the customer said these details are still right."""
    projection = projection_for(policy, actor.role, purpose)
    if method not in CONFIRM_METHODS:
        raise InvalidInput([("method", f"Say how: one of {', '.join(CONFIRM_METHODS)}.")])
    if not field_names:
        raise InvalidInput([("fields", "Name at least one field the customer confirmed.")])
    declared = [n for n in field_names if n in policy.fields]
    if len(declared) < len(field_names):
        # Only declared names are echoed: anything else is the caller's text.
        raise InvalidInput([("fields", "Name only fields the policy declares.")])
    unknown = [n for n in declared if not projection.shows(n) or not _confirmable(policy.fields[n])]
    if unknown:
        raise InvalidInput(
            [(f"fields.{n}", f"Not a field shown under {projection.purpose}.") for n in unknown]
        )
    now = clock.now()
    with uow:
        (customer,) = load_locked(uow, customer_id)
        absent = [n for n in field_names if n not in customer.fields]
        if absent:
            raise InvalidInput(
                [(f"fields.{n}", "The record holds no value here to confirm.") for n in absent]
            )
        records = {
            n: replace(customer.fields[n], confirmed_at=now, confirmed_method=method)
            for n in field_names
        }
        uow.customers.set_fields(customer_id, records, now)
        uow.audit.append(
            entry_for(
                actor,
                "customer.confirmed",
                customer_id=customer_id,
                purpose=projection.purpose,
                fields=tuple(sorted(field_names)),
                detail={"method": method},
            )
        )
        fresh = replace(customer, updated_at=now, fields={**customer.fields, **records})
        view = view_of(fresh, policy=policy, role=actor.role, purpose=projection.purpose, now=now)
        uow.commit()
    return view


def _confirmable(definition: FieldDef) -> bool:
    # The reference is set by clientkeep and notes belong to other records: neither is a
    # value the customer confirms.
    return definition.on_record and not definition.system
