"""Registering a customer: collected for a purpose, checked for likely duplicates, sealed."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers import index_terms
from clientkeep.customers._collect import collect_complete
from clientkeep.customers._records import collected_changes, new_reference, records_of, source_of
from clientkeep.customers.errors import IdempotencyKeyReused
from clientkeep.customers.model import Customer
from clientkeep.customers.ports import (
    CustomerUnitOfWork,
    DuplicateFinder,
    DuplicateSuspect,
    LikelyDuplicate,
)
from clientkeep.customers.reading import read_in
from clientkeep.customers.shown import naming_matches
from clientkeep.customers.views import CustomerView, Match, summary, view_of
from clientkeep.policy.access import purpose_for
from clientkeep.policy.model import Policy, Projection
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.ids import new_id


@dataclass(frozen=True, slots=True)
class RegisterCustomer:
    purpose: str
    fields: Mapping[str, str]
    source: str
    confirmed_with_customer: bool = False
    explicit_consent: frozenset[str] = frozenset()
    # Phone fields whose number staff read back and keep although it is in no range known to
    # be in use; without this such a number is refused (UnlistedPhoneNumber).
    accept_unlisted_phones: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Registered:
    customer: CustomerView
    possible_duplicates: list[Match]
    replayed: bool = False


def warnings_of(found: list[LikelyDuplicate], projection: Projection) -> list[Match]:
    return [summary(d.customer, projection, d.reasons, d.score) for d in found]


def _fingerprint_source(cmd: RegisterCustomer) -> str:
    return json.dumps(
        {
            "purpose": cmd.purpose,
            "fields": dict(sorted(cmd.fields.items())),
            "source": cmd.source,
            "confirmed": cmd.confirmed_with_customer,
            "consent": sorted(cmd.explicit_consent),
            "unlisted": sorted(cmd.accept_unlisted_phones),
        },
        sort_keys=True,
        separators=(",", ":"),
    )


class _KeyTakenMeanwhile(Exception):
    """A concurrent request with the same Idempotency-Key committed first."""


@records_denials("customer.created")
def register(
    cmd: RegisterCustomer,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    duplicates: DuplicateFinder,
    idempotency_key: str | None = None,
) -> Registered:
    attempt = partial(
        _register_once,
        cmd,
        uow=uow,
        actor=actor,
        policy=policy,
        clock=clock,
        duplicates=duplicates,
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
    duplicates: DuplicateFinder,
    idempotency_key: str | None,
) -> Registered:
    purpose = purpose_for(policy, actor.role, cmd.purpose)
    projection = policy.projection(actor.role, purpose.name)
    now = clock.now()
    source = source_of(cmd.source)
    collected = collect_complete(
        policy,
        actor,
        purpose,
        cmd.fields,
        explicit_consent=cmd.explicit_consent,
        today=now.date(),
        accept_unlisted=cmd.accept_unlisted_phones,
    )
    reference_field = policy.field_roles.reference
    with uow:
        if idempotency_key is not None:
            fingerprint = uow.idempotency.fingerprint(_fingerprint_source(cmd))
            seen = uow.idempotency.recall(actor.id, idempotency_key)
            if seen is not None:
                if seen[0] != fingerprint:
                    raise IdempotencyKeyReused()
                view = read_in(
                    seen[1], uow=uow, actor=actor, policy=policy, purpose=purpose.name, now=now
                )
                uow.commit()
                return Registered(customer=view, possible_duplicates=[], replayed=True)
        found = duplicates(collected.values, uow=uow, policy=policy)
        values_with_ref = dict(collected.values)
        # Only a purpose that uses references gives one: minimisation covers ours too.
        if reference_field in purpose.fields:
            values_with_ref[reference_field] = new_reference(uow, policy)
        records = records_of(
            values_with_ref,
            actor=actor,
            source=source,
            confirmed=cmd.confirmed_with_customer,
            now=now,
            consented=cmd.explicit_consent,
            unlisted=collected.unlisted,
        )
        customer = Customer(id=new_id("cus"), created_at=now, updated_at=now, fields=records)
        uow.customers.add(customer, index_terms.terms_of(policy, values_with_ref))
        uow.history.add(collected_changes(customer, purpose.name, source, actor))
        for match in found:
            uow.duplicates.add(
                DuplicateSuspect(
                    id=new_id("dup"),
                    customer_id=customer.id,
                    other_id=match.customer.id,
                    reasons=match.reasons,
                    detected_at=now,
                )
            )
        if idempotency_key is not None and not uow.idempotency.remember(
            actor.id, idempotency_key, fingerprint, customer.id, now
        ):
            raise _KeyTakenMeanwhile()
        warnings = warnings_of(found, projection)
        uow.audit.append(
            naming_matches(
                entry_for(
                    actor,
                    "customer.created",
                    customer_id=customer.id,
                    purpose=purpose.name,
                    fields=tuple(sorted(values_with_ref)),
                    detail={
                        "source": source.value,
                        "confirmed": cmd.confirmed_with_customer,
                        "possible_duplicates": len(warnings),
                        # Field names only: which numbers were kept after a read-back.
                        **(
                            {"unlisted_phones": ",".join(sorted(collected.unlisted))}
                            if collected.unlisted
                            else {}
                        ),
                    },
                ),
                warnings,
            )
        )
        view = view_of(customer, policy=policy, role=actor.role, purpose=purpose.name, now=now)
        uow.commit()
    return Registered(customer=view, possible_duplicates=warnings)


@records_denials("customer.duplicate_check")
def find_duplicates_before_saving(
    cmd: RegisterCustomer,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    duplicates: DuplicateFinder,
) -> list[Match]:
    """Check a registration and list likely duplicates without saving anything, so staff
    can open the existing record instead. Audited as a search, naming everyone shown."""
    purpose = purpose_for(policy, actor.role, cmd.purpose)
    projection = policy.projection(actor.role, purpose.name)
    source_of(cmd.source)
    collected = collect_complete(
        policy,
        actor,
        purpose,
        cmd.fields,
        explicit_consent=cmd.explicit_consent,
        today=clock.now().date(),
        accept_unlisted=cmd.accept_unlisted_phones,
    )
    with uow:
        found = warnings_of(duplicates(collected.values, uow=uow, policy=policy), projection)
        checked = entry_for(
            actor,
            "customer.duplicate_check",
            purpose=purpose.name,
            fields=tuple(sorted(collected.values)),
            detail={"results": len(found)},
        )
        uow.audit.append(naming_matches(checked, found))
        uow.commit()
    return found
