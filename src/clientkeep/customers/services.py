"""Use cases on one customer record: register, read for a purpose, rectify, confirm."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial

from clientkeep.audit.model import entry_for
from clientkeep.customers import values
from clientkeep.customers._collect import check_purpose, collect, require_complete
from clientkeep.customers.errors import CustomerMerged, CustomerNotFound, IdempotencyKeyReused
from clientkeep.customers.model import Change, ChangeKind, Customer, FieldRecord, Source
from clientkeep.customers.ports import CustomerUnitOfWork, DuplicateSuspect, IndexTerm
from clientkeep.customers.reference import REFERENCE_KIND, reference_term
from clientkeep.customers.views import CustomerView, view_of
from clientkeep.matching.duplicates import likely_duplicates
from clientkeep.matching.model import Match
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput
from clientkeep.shared.ids import new_id

REFERENCE_FIELD = "customer_reference"
MAX_REASON = 500
CONFIRM_METHODS = ("phone", "email", "in_person", "post", "web", "sms")


@dataclass(frozen=True, slots=True)
class RegisterCustomer:
    purpose: str
    fields: Mapping[str, str]
    source: str
    confirmed_with_customer: bool = False
    explicit_consent: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Registered:
    customer: CustomerView
    possible_duplicates: list[Match]
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class UpdateCustomer:
    purpose: str
    fields: Mapping[str, str | None]
    reason: str
    source: str = "phone"
    confirmed_with_customer: bool = False
    explicit_consent: frozenset[str] = field(default_factory=frozenset)


def _source(raw: str) -> Source:
    try:
        return Source(raw)
    except ValueError:
        allowed = ", ".join(s.value for s in Source)
        raise InvalidInput([("source", f"Say how the details came: one of {allowed}.")]) from None


def _reason(raw: str) -> str:
    reason = " ".join(raw.split())
    if not reason:
        raise InvalidInput([("reason", "Say why the record is being changed.")])
    if len(reason) > MAX_REASON:
        raise InvalidInput([("reason", f"Use at most {MAX_REASON} characters.")])
    return reason


def _records(
    new_values: Mapping[str, str],
    *,
    actor: Actor,
    source: Source,
    confirmed: bool,
    now: datetime,
    consented: frozenset[str],
) -> dict[str, FieldRecord]:
    return {
        name: FieldRecord(
            value=value,
            updated_at=now,
            updated_by=actor.id,
            source=source,
            confirmed_at=now if confirmed else None,
            confirmed_method=f"read back ({source.value})" if confirmed else None,
            condition="explicit_consent" if name in consented else None,
        )
        for name, value in new_values.items()
    }


def index_terms_for(policy: Policy, fields: Mapping[str, str]) -> list[IndexTerm]:
    """Blind-index terms of ``fields``. The duplicate scan's composite terms (a name's
    phonetic code with the date of birth or postcode) come only from the fields given, so
    to rewrite them pass the whole record, not just the fields that changed."""
    from clientkeep.matching import blocking

    terms: list[IndexTerm] = []
    for name, value in fields.items():
        if name == REFERENCE_FIELD:
            term = reference_term(value, policy.customer_reference)
            if term:
                terms.append(IndexTerm(name, REFERENCE_KIND, term))
            continue
        definition = policy.fields.get(name)
        if definition is not None:
            terms.extend(IndexTerm(name, k, t) for k, t in values.index_terms(definition, value))
    terms.extend(IndexTerm(f, k, t) for f, k, t in blocking.composite_terms(fields))
    terms.extend(IndexTerm(f, k, t) for f, k, t in blocking.name_pair_terms(fields))
    return terms


def _reindex(
    uow: CustomerUnitOfWork,
    policy: Policy,
    customer_id: str,
    changed: set[str],
    whole: Mapping[str, str],
) -> None:
    """Rewrite the index terms of the changed fields, and of the composite terms built from
    them, computed from the whole record as it now stands."""
    from clientkeep.matching import blocking

    touched = blocking.reindexed_fields(changed)
    terms = [t for t in index_terms_for(policy, whole) if t.field in touched]
    uow.customers.replace_terms(customer_id, touched, terms)


def _fingerprint_source(cmd: RegisterCustomer) -> str:
    return json.dumps(
        {
            "purpose": cmd.purpose,
            "fields": dict(sorted(cmd.fields.items())),
            "source": cmd.source,
            "confirmed": cmd.confirmed_with_customer,
            "consent": sorted(cmd.explicit_consent),
        },
        sort_keys=True,
        separators=(",", ":"),
    )


class _KeyTakenMeanwhile(Exception):
    """A concurrent request with the same Idempotency-Key committed first."""


def register(
    cmd: RegisterCustomer,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    idempotency_key: str | None = None,
) -> Registered:
    attempt = partial(
        _register_once,
        cmd,
        uow=uow,
        actor=actor,
        policy=policy,
        clock=clock,
        idempotency_key=idempotency_key,
    )
    try:
        return attempt()
    except _KeyTakenMeanwhile:
        # Our work was rolled back; the other request's record is visible now, so the
        # second attempt answers as its replay, as if the two had not overlapped.
        return attempt()


def _register_once(
    cmd: RegisterCustomer,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    idempotency_key: str | None,
) -> Registered:
    purpose = check_purpose(policy, actor, cmd.purpose)
    now = clock.now()
    source = _source(cmd.source)
    collected = collect(
        policy, actor, purpose, cmd.fields, explicit_consent=cmd.explicit_consent, today=now.date()
    )
    require_complete(purpose, set(collected.values), policy)
    with uow:
        if idempotency_key is not None:
            fingerprint = uow.idempotency.fingerprint(_fingerprint_source(cmd))
            seen = uow.idempotency.recall(actor.id, idempotency_key)
            if seen is not None:
                if seen[0] != fingerprint:
                    raise IdempotencyKeyReused()
                return Registered(
                    customer=_read_in(
                        seen[1],
                        uow=uow,
                        actor=actor,
                        policy=policy,
                        purpose=purpose.name,
                        now=now,
                        action="customer.read",
                    ),
                    possible_duplicates=[],
                    replayed=True,
                )
        duplicates = likely_duplicates(collected.values, uow=uow, policy=policy)
        values_with_ref = {**collected.values, REFERENCE_FIELD: _new_reference(uow, policy)}
        records = _records(
            values_with_ref,
            actor=actor,
            source=source,
            confirmed=cmd.confirmed_with_customer,
            now=now,
            consented=cmd.explicit_consent,
        )
        customer = Customer(id=new_id("cus"), created_at=now, updated_at=now, fields=records)
        uow.customers.add(customer, index_terms_for(policy, values_with_ref))
        uow.history.add(collected_changes(customer, purpose.name, source, actor))
        for match in duplicates:
            uow.duplicates.add(
                DuplicateSuspect(
                    id=new_id("dup"),
                    customer_id=customer.id,
                    other_id=match.customer_id,
                    reasons=match.reasons,
                    detected_at=now,
                )
            )
        if idempotency_key is not None and not uow.idempotency.remember(
            actor.id, idempotency_key, fingerprint, customer.id, now
        ):
            raise _KeyTakenMeanwhile()
        uow.audit.append(
            entry_for(
                actor,
                "customer.created",
                customer_id=customer.id,
                purpose=purpose.name,
                fields=tuple(sorted(values_with_ref)),
                detail={
                    "source": source.value,
                    "confirmed": cmd.confirmed_with_customer,
                    "possible_duplicates": len(duplicates),
                },
            )
        )
        view = view_of(customer, policy=policy, role=actor.role, purpose=purpose.name, now=now)
        uow.commit()
    return Registered(customer=view, possible_duplicates=duplicates)


def find_duplicates_before_saving(
    cmd: RegisterCustomer,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> list[Match]:
    """Check a registration and list likely duplicates without saving anything, so staff
    can open the existing record instead. Audited as a search."""
    purpose = check_purpose(policy, actor, cmd.purpose)
    _source(cmd.source)
    collected = collect(
        policy,
        actor,
        purpose,
        cmd.fields,
        explicit_consent=cmd.explicit_consent,
        today=clock.now().date(),
    )
    require_complete(purpose, set(collected.values), policy)
    with uow:
        found = likely_duplicates(collected.values, uow=uow, policy=policy)
        uow.audit.append(
            entry_for(
                actor,
                "customer.duplicate_check",
                purpose=purpose.name,
                fields=tuple(sorted(collected.values)),
                detail={
                    "results": len(found),
                    "customer_ids": ",".join(m.customer_id for m in found),
                },
            )
        )
        uow.commit()
    return found


def _new_reference(uow: CustomerUnitOfWork, policy: Policy, taken: Collection[str] = ()) -> str:
    """A random reference no customer holds, nor any of ``taken`` (reference terms)."""
    for _ in range(20):
        reference = policy.customer_reference.new()
        term = reference_term(reference, policy.customer_reference)
        if (
            term
            and term not in taken
            and not uow.customers.find_by_terms([(REFERENCE_KIND, term)], limit=1)
        ):
            return reference
    raise RuntimeError("could not find a free customer reference; lengthen it in the policy")


def collected_changes(
    customer: Customer, purpose: str, source: Source, actor: Actor
) -> list[Change]:
    """The history of a newly collected record: one entry per field, saying why it came."""
    return [
        Change(
            id=new_id("chg"),
            customer_id=customer.id,
            field=name,
            kind=ChangeKind.COLLECTED,
            old_value=None,
            new_value=record.value,
            reason=f"collected for {purpose} ({source.value})",
            changed_at=customer.created_at,
            changed_by=actor.id,
        )
        for name, record in customer.fields.items()
    ]


def load(uow: CustomerUnitOfWork, customer_id: str) -> Customer:
    customer = uow.customers.get(customer_id)
    if customer is None:
        raise CustomerNotFound()
    if customer.merged_into is not None:
        raise CustomerMerged(customer.merged_into)
    return customer


def _read_in(
    customer_id: str,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    purpose: str,
    now: datetime,
    action: str,
) -> CustomerView:
    view = view_of(load(uow, customer_id), policy=policy, role=actor.role, purpose=purpose, now=now)
    uow.audit.append(
        entry_for(
            actor, action, customer_id=customer_id, purpose=purpose, fields=tuple(view.fields)
        )
    )
    uow.commit()
    return view


def read(
    customer_id: str,
    *,
    purpose: str,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> CustomerView:
    """The fields ``purpose`` uses that the role may see; the read is audited by field."""
    chosen = check_purpose(policy, actor, purpose)
    with uow:
        return _read_in(
            customer_id,
            uow=uow,
            actor=actor,
            policy=policy,
            purpose=chosen.name,
            now=clock.now(),
            action="customer.read",
        )


def update(
    customer_id: str,
    cmd: UpdateCustomer,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> CustomerView:
    """Rectify: every change keeps who, when, why and the old value."""
    purpose = check_purpose(policy, actor, cmd.purpose)
    reason = _reason(cmd.reason)
    source = _source(cmd.source)
    if not cmd.fields:
        raise InvalidInput([("fields", "Give at least one field to change.")])
    now = clock.now()
    collected = collect(
        policy, actor, purpose, cmd.fields, explicit_consent=cmd.explicit_consent, today=now.date()
    )
    with uow:
        customer = load(uow, customer_id)
        changed = {n: v for n, v in collected.values.items() if customer.value(n) != v}
        removed = {n for n in collected.removed if customer.value(n) is not None}
        after = {n for n in customer.fields if n not in removed} | set(changed)
        require_complete(purpose, after & purpose.fields, policy)
        records = _records(
            changed,
            actor=actor,
            source=source,
            confirmed=cmd.confirmed_with_customer,
            now=now,
            consented=cmd.explicit_consent,
        )
        if records:
            uow.customers.set_fields(customer_id, records, now)
        if removed:
            uow.customers.remove_fields(customer_id, removed, now)
        if records or removed:
            whole = {n: r.value for n, r in customer.fields.items() if n not in removed}
            whole.update({n: r.value for n, r in records.items()})
            _reindex(uow, policy, customer_id, set(records) | removed, whole)
        uow.history.add(
            Change(
                id=new_id("chg"),
                customer_id=customer_id,
                field=name,
                kind=ChangeKind.REMOVED if name in removed else ChangeKind.RECTIFIED,
                old_value=customer.value(name),
                new_value=changed.get(name),
                reason=reason,
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
                detail={"unchanged": len(cmd.fields) - len(changed) - len(removed)},
            )
        )
        fresh = replace(
            customer,
            updated_at=now,
            fields={**{n: r for n, r in customer.fields.items() if n not in removed}, **records},
        )
        view = view_of(fresh, policy=policy, role=actor.role, purpose=purpose.name, now=now)
        uow.commit()
    return view


def history(
    customer_id: str, *, purpose: str, uow: CustomerUnitOfWork, actor: Actor, policy: Policy
) -> list[Change]:
    """Changes to the fields this purpose shows this role, newest first; audited."""
    chosen = check_purpose(policy, actor, purpose)
    visible = policy.visible_fields(actor.role, chosen.name)
    with uow:
        load(uow, customer_id)
        changes = [c for c in uow.history.for_customer(customer_id) if c.field in visible]
        uow.audit.append(
            entry_for(
                actor,
                "customer.history_read",
                customer_id=customer_id,
                purpose=chosen.name,
                fields=tuple(sorted({c.field for c in changes})),
            )
        )
        uow.commit()
    return sorted(changes, key=lambda c: (c.changed_at, c.id), reverse=True)


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
    chosen = check_purpose(policy, actor, purpose)
    if method not in CONFIRM_METHODS:
        raise InvalidInput([("method", f"Say how: one of {', '.join(CONFIRM_METHODS)}.")])
    if not field_names:
        raise InvalidInput([("fields", "Name at least one field the customer confirmed.")])
    visible = policy.visible_fields(actor.role, chosen.name)
    unknown = [n for n in field_names if n not in visible or policy.fields[n].system]
    if unknown:
        raise InvalidInput(
            [(f"fields.{n}", f"Not a field shown under {chosen.name}.") for n in unknown]
        )
    now = clock.now()
    with uow:
        customer = load(uow, customer_id)
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
                purpose=chosen.name,
                fields=tuple(sorted(field_names)),
                detail={"method": method},
            )
        )
        fresh = replace(customer, fields={**customer.fields, **records})
        view = view_of(fresh, policy=policy, role=actor.role, purpose=chosen.name, now=now)
        uow.commit()
    return view
