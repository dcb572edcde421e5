"""Helpers every customer use case shares: loading under lock, reasons, records, references."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime

from clientkeep.customers import index_terms
from clientkeep.customers.errors import CustomerMerged, CustomerNotFound
from clientkeep.customers.model import (
    CALLER_CHANNELS,
    EXPLICIT_CONSENT,
    INTERNAL_SOURCES,
    UNLISTED_NUMBER,
    Change,
    ChangeKind,
    Customer,
    FieldRecord,
    Source,
)
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.reference import REFERENCE_KIND, reference_term
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import InvalidInput
from clientkeep.shared.ids import new_id

MAX_REASON = 500


def source_of(raw: str) -> Source:
    try:
        return Source(raw)
    except ValueError:
        allowed = ", ".join(s.value for s in Source)
        raise InvalidInput([("source", f"Say how the details came: one of {allowed}.")]) from None


CALLER_CHANGE = (
    "A change the caller asks for now needs on_behalf_of_customer and a verification; "
    "an internal correction says where it came from."
)


def _words(sources: tuple[Source, ...]) -> str:
    return ", ".join(s.value for s in sources)


def _values(sources: tuple[Source, ...]) -> frozenset[str]:
    return frozenset(s.value for s in sources)


def change_source_of(raw: str | None, *, on_behalf: bool) -> Source:
    """Where a correction came from. A change the caller asks for comes through a caller
    channel (the phone unless told); an internal correction must say where it came from, and
    a caller channel is not such a place: that change is the caller's, and needs their
    verification."""
    given = (raw or "").strip()
    if on_behalf:
        given = given or Source.PHONE.value
        if given not in _values(CALLER_CHANNELS):
            raise InvalidInput(
                [
                    (
                        "source",
                        "A change the caller asks for comes by one of "
                        f"{_words(CALLER_CHANNELS)} (phone if not given); anything else is an "
                        "internal correction, not on behalf of the customer.",
                    )
                ]
            )
        return Source(given)
    if given in _values(CALLER_CHANNELS):
        raise InvalidInput([("source", CALLER_CHANGE)])
    if given not in _values(INTERNAL_SOURCES):
        raise InvalidInput(
            [("source", f"Say where the correction came from: one of {_words(INTERNAL_SOURCES)}.")]
        )
    return Source(given)


def reason_of(raw: str) -> str:
    reason = " ".join(raw.split())
    if not reason:
        raise InvalidInput([("reason", "Say why the record is being changed.")])
    if len(reason) > MAX_REASON:
        raise InvalidInput([("reason", f"Use at most {MAX_REASON} characters.")])
    return reason


def records_of(
    new_values: Mapping[str, str],
    *,
    actor: Actor,
    source: Source,
    confirmed: bool,
    now: datetime,
    consented: frozenset[str],
    unlisted: frozenset[str] = frozenset(),
) -> dict[str, FieldRecord]:
    """One record per value; ``unlisted`` are phone fields kept outside the known ranges."""

    def condition(name: str) -> str | None:
        held = [EXPLICIT_CONSENT] * (name in consented) + [UNLISTED_NUMBER] * (name in unlisted)
        return " ".join(held) or None

    return {
        name: FieldRecord(
            value=value,
            updated_at=now,
            updated_by=actor.id,
            source=source,
            confirmed_at=now if confirmed else None,
            confirmed_method=f"read back ({source.value})" if confirmed else None,
            condition=condition(name),
        )
        for name, value in new_values.items()
    }


def load(uow: CustomerUnitOfWork, customer_id: str) -> Customer:
    customer = uow.customers.get(customer_id)
    if customer is None:
        raise CustomerNotFound()
    if customer.merged_into is not None:
        raise CustomerMerged(customer.merged_into)
    return customer


def load_locked(uow: CustomerUnitOfWork, *customer_ids: str) -> list[Customer]:
    """Lock the customers (in id order), then read them: what a change starts from must be
    what is there when it commits."""
    uow.customers.lock(sorted(set(customer_ids)))
    return [load(uow, customer_id) for customer_id in customer_ids]


def rewrite_terms(
    uow: CustomerUnitOfWork,
    policy: Policy,
    customer_id: str,
    changed: Collection[str],
    whole: Mapping[str, str],
) -> None:
    """Rewrite the index terms of the changed fields, and the composite terms built from
    them, computed from the whole record as it now stands."""
    touched = index_terms.reindexed_fields(policy, changed)
    terms = [t for t in index_terms.terms_of(policy, whole) if t.field in touched]
    uow.customers.replace_terms(customer_id, touched, terms)


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


def new_reference(uow: CustomerUnitOfWork, policy: Policy, taken: Collection[str] = ()) -> str:
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
