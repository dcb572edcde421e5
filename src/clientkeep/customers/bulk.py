"""Bulk registration: many customers from a file, validated, sealed, indexed and audited.

Each batch is one transaction: a batch either lands whole or not at all, and a row that fails
validation (or that its reader found unreadable: ``ImportRow.problems``) is reported by its
position and line and never written. A row already imported, by this run or an earlier one,
is skipped and reported with the customer it made (``import_fingerprint``): importing a file
twice makes nobody twice. If reading the rows fails part way, the rows read before the
failure are saved and the failure is raised. Duplicates that are not the same row are not
checked row by row (that would cost a lookup per row); run the whole-book duplicate scan
after an import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import islice

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers import import_fingerprint, index_terms
from clientkeep.customers._collect import collect_complete
from clientkeep.customers._records import collected_changes, new_reference, records_of, source_of
from clientkeep.customers.model import Customer, Source
from clientkeep.customers.ports import CustomerUnitOfWork, IndexTerm
from clientkeep.customers.reference import REFERENCE_KIND, reference_term
from clientkeep.customers.shown import naming_shown
from clientkeep.policy.access import purpose_for
from clientkeep.policy.model import FieldType, Policy, Purpose
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import new_id

MAX_REJECTIONS_KEPT = 1_000
MAX_BATCH = 10_000


@dataclass(frozen=True, slots=True)
class ImportRow:
    fields: Mapping[str, str]
    explicit_consent: frozenset[str] = frozenset()
    # Where the row starts in its file, when it came from one: what a report points staff to.
    line: int | None = None
    # What the reader found wrong before any value was looked at (a cell too long, a value
    # that is not text), as (field, message): the row is rejected with these and with what
    # validating the rest of its fields finds.
    problems: tuple[tuple[str, str], ...] = ()
    # The caller's own id for this customer (a column they named): when given, it alone
    # decides whether the row was imported before.
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class Rejected:
    row: int  # 1-based position in the input
    errors: tuple[tuple[str, str], ...]
    line: int | None = None


@dataclass(frozen=True, slots=True)
class Imported:
    row: int
    customer_id: str
    line: int | None = None


@dataclass(frozen=True, slots=True)
class AlreadyImported:
    """A row whose fingerprint (or external id) a customer already holds: nothing saved."""

    row: int
    customer_id: str
    line: int | None = None


RowOutcome = Imported | AlreadyImported | Rejected


@dataclass
class ImportReport:
    imported: int = 0
    rejected_count: int = 0
    already_imported: int = 0
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
    # What a report calls a row's external id (the column it came from).
    external_id_field: str = "external_id"


@dataclass(frozen=True, slots=True)
class _Valid:
    values: dict[str, str]
    unlisted: frozenset[str]  # phone fields kept outside the known ranges


@dataclass(slots=True)
class _Candidate:
    """A valid row, waiting for the batch's look-up of what was imported before."""

    slot: int  # its place among the batch's outcomes
    position: int
    row: ImportRow
    values: dict[str, str]
    unlisted: frozenset[str]
    # The term that decides whether it was imported before, and every term it records.
    key: IndexTerm
    marks: tuple[IndexTerm, ...]


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
    on_rows: Callable[[Sequence[RowOutcome]], None] | None = None,
) -> ImportReport:
    """Register every valid row not imported before. After each committed batch,
    ``on_batch(rows_done, ids)`` sees the new customer's id per row (None for a row rejected
    or already imported) and ``on_rows`` each row's outcome, in the order of the input."""
    purpose = purpose_for(policy, actor.role, cmd.purpose)
    source = source_of(cmd.source)
    if not 1 <= cmd.batch_size <= MAX_BATCH:
        raise InvalidInput([("batch_size", f"Give a batch size from 1 to {MAX_BATCH}.")])
    report = ImportReport()
    position = 0
    phones = frozenset(n for n, f in policy.fields.items() if f.type is FieldType.PHONE)
    accept_unlisted = phones if cmd.accept_unlisted_phones else frozenset()
    for batch in _batches(rows, cmd.batch_size):
        now = clock.now()
        outcomes: list[RowOutcome | None] = []
        candidates: list[_Candidate] = []
        for row in batch:
            position += 1
            checked = _checked(cmd, policy, actor, purpose, row, now.date(), accept_unlisted)
            if not isinstance(checked, _Valid):
                outcomes.append(Rejected(position, checked, row.line))
                continue
            values, unlisted = checked.values, checked.unlisted
            key, marks = _marks(values, row.external_id)
            candidates.append(
                _Candidate(len(outcomes), position, row, values, unlisted, key, marks)
            )
            outcomes.append(None)
        if candidates:
            _save(
                candidates,
                outcomes,
                uow=uow(),
                actor=actor,
                policy=policy,
                purpose=purpose,
                source=source,
                now=now,
            )
        done = [o for o in outcomes if o is not None]
        for outcome in done:
            if isinstance(outcome, Imported):
                report.imported += 1
            elif isinstance(outcome, AlreadyImported):
                report.already_imported += 1
            else:
                report.rejected_count += 1
                if len(report.rejected) < MAX_REJECTIONS_KEPT:
                    report.rejected.append(outcome)
        if on_rows is not None:
            on_rows(done)
        if on_batch is not None:
            on_batch(position, [o.customer_id if isinstance(o, Imported) else None for o in done])
    return report


def _checked(
    cmd: ImportCustomers,
    policy: Policy,
    actor: Actor,
    purpose: Purpose,
    row: ImportRow,
    today: date,
    accept_unlisted: frozenset[str],
) -> _Valid | tuple[tuple[str, str], ...]:
    """The row's normalised values and unlisted phone fields, or every problem it has."""
    problems = list(row.problems)
    if row.external_id is not None:
        wrong = import_fingerprint.external_id_problem(row.external_id)
        if wrong is not None:
            problems.append((cmd.external_id_field, wrong))
    try:
        collected = collect_complete(
            policy,
            actor,
            purpose,
            row.fields,
            explicit_consent=row.explicit_consent,
            today=today,
            accept_unlisted=accept_unlisted & set(row.fields),
        )
    except (InvalidInput, PermissionDenied) as problem:
        # A row this role may not hold (special-category data, say) is refused like a
        # malformed one: named, not saved, and the rest of the file goes on.
        errors = (
            problem.errors
            if isinstance(problem, InvalidInput)
            else [(problem.field or "row", problem.message)]
        )
        # A field the reader already refused was left out, so is not "missing" as well.
        named = {where for where, _ in problems}
        problems.extend(e for e in errors if e[0] not in named)
        return tuple(problems)
    if problems:
        return tuple(problems)
    return _Valid(dict(collected.values), collected.unlisted)


def _marks(
    values: Mapping[str, str], external_id: str | None
) -> tuple[IndexTerm, tuple[IndexTerm, ...]]:
    fingerprint = import_fingerprint.fingerprint_term(values)
    if external_id is None:
        return fingerprint, (fingerprint,)
    external = import_fingerprint.external_id_term(external_id.strip())
    return external, (external, fingerprint)


def _save(
    candidates: list[_Candidate],
    outcomes: list[RowOutcome | None],
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    purpose: Purpose,
    source: Source,
    now: datetime,
) -> None:
    """Look up what the batch's rows made before, save the rest, and fill in ``outcomes``.

    The look-up is in the unit that writes, so on SQLite (one writer at a time) two imports of
    one file cannot both save a row.
    """
    reference_field = policy.field_roles.reference
    with uow:
        held = _already_held(uow, [c.key for c in candidates])
        customers: list[tuple[Customer, list[IndexTerm]]] = []
        made: dict[IndexTerm, str] = {}
        shown: dict[str, tuple[str, ...]] = {}
        for candidate in candidates:
            earlier = held.get(candidate.key) or made.get(candidate.key)
            if earlier is not None:
                # Only the id is shown: the caller gave the values, and learns which record
                # holds them, which the trail records as a read of that customer.
                shown[earlier] = ()
                outcomes[candidate.slot] = AlreadyImported(
                    candidate.position, earlier, candidate.row.line
                )
                continue
            values = dict(candidate.values)
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
                    consented=candidate.row.explicit_consent,
                    unlisted=candidate.unlisted,
                ),
            )
            terms = [*index_terms.terms_of(policy, values), *candidate.marks]
            customers.append((customer, terms))
            made[candidate.key] = customer.id
            outcomes[candidate.slot] = Imported(candidate.position, customer.id, candidate.row.line)
        if customers:
            _write(customers, uow=uow, actor=actor, policy=policy, purpose=purpose, source=source)
        if shown:
            skipped = sum(isinstance(o, AlreadyImported) for o in outcomes)
            uow.audit.append(
                naming_shown(
                    entry_for(
                        actor,
                        "customer.imported",
                        purpose=purpose.name,
                        detail={"already_imported": skipped},
                    ),
                    shown,
                )
            )
        uow.commit()


def _already_held(uow: CustomerUnitOfWork, keys: list[IndexTerm]) -> dict[IndexTerm, str]:
    """The customer holding each of ``keys`` that one does. One query for the batch; a term
    at a time only when some are held (a file imported again, or partly)."""
    wanted = list(dict.fromkeys(keys))
    if not wanted or not uow.customers.find_by_terms(_pairs(wanted), limit=1):
        return {}
    held: dict[IndexTerm, str] = {}
    for key in wanted:
        found = uow.customers.find_by_terms(_pairs([key]), limit=1)
        if found:
            held[key] = found[0]
    return held


def _pairs(terms: Iterable[IndexTerm]) -> list[tuple[str, str]]:
    return [(t.kind, t.term) for t in terms]


def _write(
    customers: list[tuple[Customer, list[IndexTerm]]],
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    purpose: Purpose,
    source: Source,
) -> None:
    """Save a batch of new customers in the caller's unit, which commits."""
    if policy.field_roles.reference in purpose.fields:
        _unique_references(customers, uow=uow, policy=policy)
    uow.customers.add_many(customers)
    uow.history.add(
        change
        for customer, _ in customers
        for change in collected_changes(customer, purpose.name, source, actor)
    )
    uow.audit.append_many(
        [
            entry_for(
                actor,
                "customer.created",
                customer_id=customer.id,
                purpose=purpose.name,
                fields=tuple(sorted(customer.fields)),
                detail={"source": source.value, "bulk": True},
            )
            for customer, _ in customers
        ]
    )


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
    """Batches of ``size``; when reading fails, the rows read before it first, then the
    failure (a file that turns unreadable keeps what came before the bad part)."""
    it = iter(rows)
    while True:
        batch: list[ImportRow] = []
        try:
            batch.extend(islice(it, size))
        except Exception:
            if batch:
                yield batch
            raise
        if not batch:
            return
        yield batch
