"""Bulk registration: many customers from a file, validated, sealed, indexed and audited.

Each batch is one transaction: a batch either lands whole or not at all, and a row that fails
validation is reported by its position and never written. Duplicates are not checked row by
row (that would cost a lookup per row); run the whole-book duplicate scan after an import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from itertools import islice

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers import index_terms
from clientkeep.customers._collect import collect_complete
from clientkeep.customers._records import collected_changes, new_reference, records_of, source_of
from clientkeep.customers.model import Customer, Source
from clientkeep.customers.ports import CustomerUnitOfWork, IndexTerm
from clientkeep.customers.reference import REFERENCE_KIND, reference_term
from clientkeep.policy.access import purpose_for
from clientkeep.policy.model import FieldType, Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import new_id

MAX_REJECTIONS_KEPT = 1_000


@dataclass(frozen=True, slots=True)
class ImportRow:
    fields: Mapping[str, str]
    explicit_consent: frozenset[str] = frozenset()
    # Where the row ends in its file, when it came from one: what a report points staff to.
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    row: int  # 1-based position in the input
    errors: tuple[tuple[str, str], ...]
    line: int | None = None


@dataclass
class ImportReport:
    imported: int = 0
    rejected_count: int = 0
    # The first rejections in full; beyond that only counted, so memory stays bounded.
    rejected: list[Rejected] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportCustomers:
    purpose: str
    source: str = "import"
    batch_size: int = 1_000
    # Keep phone numbers in no range known to be in use (the file's numbers were checked
    # with the customers); without it such a row is rejected, naming the field.
    accept_unlisted_phones: bool = False


@records_denials("customer.imported")
def import_customers(
    cmd: ImportCustomers,
    rows: Iterable[ImportRow],
    *,
    uow: Callable[[], CustomerUnitOfWork],
    actor: Actor,
    policy: Policy,
    clock: Clock,
    on_batch: Callable[[int, list[str | None]], None] | None = None,
) -> ImportReport:
    """Register every valid row; ``on_batch(rows_done, ids)`` sees each committed batch, with
    the new customer's id per row (None for a rejected row)."""
    purpose = purpose_for(policy, actor.role, cmd.purpose)
    source = source_of(cmd.source)
    reference_field = policy.field_roles.reference
    if not 1 <= cmd.batch_size <= 10_000:
        raise InvalidInput([("batch_size", "Give a batch size from 1 to 10000.")])
    report = ImportReport()
    position = 0
    phones = frozenset(n for n, f in policy.fields.items() if f.type is FieldType.PHONE)
    accept_unlisted = phones if cmd.accept_unlisted_phones else frozenset()
    for batch in _batches(rows, cmd.batch_size):
        now = clock.now()
        customers: list[tuple[Customer, list[IndexTerm]]] = []
        ids: list[str | None] = []
        for row in batch:
            position += 1
            try:
                collected = collect_complete(
                    policy,
                    actor,
                    purpose,
                    row.fields,
                    explicit_consent=row.explicit_consent,
                    today=now.date(),
                    accept_unlisted=accept_unlisted & set(row.fields),
                )
            except (InvalidInput, PermissionDenied) as problem:
                # A row this role may not hold (special-category data, say) is refused like
                # a malformed one: named, not saved, and the rest of the file goes on.
                errors = (
                    tuple(problem.errors)
                    if isinstance(problem, InvalidInput)
                    else ((problem.field or "row", problem.message),)
                )
                report.rejected_count += 1
                if len(report.rejected) < MAX_REJECTIONS_KEPT:
                    report.rejected.append(Rejected(position, errors, row.line))
                ids.append(None)
                continue
            values = dict(collected.values)
            if reference_field in purpose.fields:
                values[reference_field] = policy.customer_reference.new()
            customer = Customer(
                id=new_id("cus"),
                created_at=now,
                updated_at=now,
                fields=records_of(
                    values,
                    actor=actor,
                    source=source,
                    confirmed=False,
                    now=now,
                    consented=row.explicit_consent,
                    unlisted=collected.unlisted,
                ),
            )
            customers.append((customer, index_terms.terms_of(policy, values)))
            ids.append(customer.id)
        if customers:
            _write(
                customers,
                uow=uow(),
                actor=actor,
                policy=policy,
                purpose=purpose.name,
                source=source,
            )
        report.imported += len(customers)
        if on_batch is not None:
            on_batch(position, ids)
    return report


def _write(
    customers: list[tuple[Customer, list[IndexTerm]]],
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    purpose: str,
    source: Source,
) -> None:
    with uow:
        if policy.field_roles.reference in policy.purpose(purpose).fields:
            _unique_references(customers, uow=uow, policy=policy)
        uow.customers.add_many(customers)
        uow.history.add(
            change
            for customer, _ in customers
            for change in collected_changes(customer, purpose, source, actor)
        )
        uow.audit.append_many(
            [
                entry_for(
                    actor,
                    "customer.created",
                    customer_id=customer.id,
                    purpose=purpose,
                    fields=tuple(sorted(customer.fields)),
                    detail={"source": source.value, "bulk": True},
                )
                for customer, _ in customers
            ]
        )
        uow.commit()


def _unique_references(
    customers: list[tuple[Customer, list[IndexTerm]]],
    *,
    uow: CustomerUnitOfWork,
    policy: Policy,
) -> None:
    """References are random: check the batch's against the book in one query, and draw
    again for the rare one already taken (or drawn twice in this batch)."""
    seen: set[str] = set()
    for i, (customer, terms) in enumerate(customers):
        term = _reference_of(customer, policy)
        if term in seen:
            customers[i] = _redrawn(customer, terms, policy, uow, seen)
        seen.add(_reference_of(customers[i][0], policy))
    taken = uow.customers.find_by_terms([(REFERENCE_KIND, t) for t in seen], limit=10)
    if not taken:
        return
    for i, (customer, terms) in enumerate(customers):
        term = _reference_of(customer, policy)
        if uow.customers.find_by_terms([(REFERENCE_KIND, term)], limit=1):
            seen.discard(term)
            customers[i] = _redrawn(customer, terms, policy, uow, seen)
            seen.add(_reference_of(customers[i][0], policy))


def _reference_of(customer: Customer, policy: Policy) -> str:
    held = customer.fields[policy.field_roles.reference].value
    return reference_term(held, policy.customer_reference) or ""


def _redrawn(
    customer: Customer,
    terms: list[IndexTerm],
    policy: Policy,
    uow: CustomerUnitOfWork,
    seen: set[str],
) -> tuple[Customer, list[IndexTerm]]:
    reference = new_reference(uow, policy, taken=seen)
    term = reference_term(reference, policy.customer_reference) or ""
    name = policy.field_roles.reference
    record = replace(customer.fields[name], value=reference)
    kept = [t for t in terms if t.kind != REFERENCE_KIND]
    return replace(customer, fields={**customer.fields, name: record}), [
        *kept,
        IndexTerm(name, REFERENCE_KIND, term),
    ]


def _batches(rows: Iterable[ImportRow], size: int) -> Iterator[list[ImportRow]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch
