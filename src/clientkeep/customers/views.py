"""What leaves a read: only what the policy's projection for the role and purpose allows.

A record view, a search result, a duplicate warning and a queue entry are all cut by one
``Projection``; nothing here decides on its own what may be shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from clientkeep.customers import values
from clientkeep.customers.model import Change, Customer
from clientkeep.policy.model import Policy, Projection


@dataclass(frozen=True, slots=True)
class FieldView:
    name: str
    label: str
    value: str  # normalised, as stored (E.164 for phones)
    display: str  # as staff read it (national format for UK phones)
    source: str
    updated_at: datetime
    confirmed_at: datetime | None
    confirmed_method: str | None
    stale: bool
    # A phone number kept although it is in no range known to be in use (read back first).
    unlisted: bool = False


@dataclass(frozen=True, slots=True)
class CustomerView:
    id: str
    purpose: str
    # The customer's id where the projection shows no name.
    display_name: str
    created_at: datetime
    updated_at: datetime
    fields: dict[str, FieldView]
    # The reference the customer quotes, where the projection shows it.
    reference: FieldView | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """A search result or a likely duplicate: enough to pick the right person, no more."""

    customer_id: str
    # The customer's id where the projection shows no name.
    display_name: str
    postcode_district: str | None
    reasons: tuple[str, ...]
    score: float
    # The fields this summary was built from, for the audit trail.
    fields_shown: tuple[str, ...] = ()
    # What tells two people of the same name apart, where the projection shows the field: the
    # reference they quote, and the year of birth (never the whole date).
    reference: str | None = None
    birth_year: int | None = None


def is_stale(policy: Policy, name: str, last_confirmed: datetime, now: datetime) -> bool:
    return now - last_confirmed > timedelta(days=policy.staleness.days_for(name))


def staleness_cutoffs(policy: Policy, now: datetime) -> dict[str, datetime]:
    """Per field staff keep up to date: a value last confirmed before this needs confirming
    again (system fields, such as the reference, never do)."""
    return {
        name: now - timedelta(days=policy.staleness.days_for(name))
        for name, definition in policy.fields.items()
        if not definition.system and definition.on_record
    }


def plain_values(customer: Customer) -> dict[str, str]:
    return {name: record.value for name, record in customer.fields.items()}


def display_name(customer: Customer, projection: Projection) -> str:
    return projection.display_name(plain_values(customer)) or customer.id


def view_of(
    customer: Customer, *, policy: Policy, role: str, purpose: str, now: datetime
) -> CustomerView:
    projection = policy.projection(role, purpose)
    shown: dict[str, FieldView] = {}
    # Policy order, so every screen lists fields the same way.
    for name, definition in policy.fields.items():
        record = customer.fields.get(name)
        if record is None or not projection.shows(name):
            continue
        shown[name] = FieldView(
            name=name,
            label=definition.label,
            value=record.value,
            display=values.display(definition, record.value),
            source=str(record.source),
            updated_at=record.updated_at,
            confirmed_at=record.confirmed_at,
            confirmed_method=record.confirmed_method,
            stale=is_stale(policy, name, record.last_confirmed, now),
            unlisted=record.unlisted,
        )
    return CustomerView(
        id=customer.id,
        purpose=purpose,
        display_name=display_name(customer, projection),
        created_at=customer.created_at,
        updated_at=customer.updated_at,
        fields=shown,
        reference=shown.get(projection.parts.reference),
    )


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One change as staff read it: values as the record shows them, who by name and role.
    ``old_value`` and ``new_value`` stay as stored (E.164 for phones), ``changed_by`` the id."""

    id: str
    customer_id: str
    field: str
    kind: str
    old_value: str | None
    new_value: str | None
    old_display: str | None
    new_display: str | None
    reason: str
    changed_at: datetime
    changed_by: str
    changed_by_name: str


def history_entry(change: Change, policy: Policy, who: str) -> HistoryEntry:
    definition = policy.fields.get(change.field)

    def shown(value: str | None) -> str | None:
        if value is None or definition is None:
            return value
        return values.display(definition, value)

    return HistoryEntry(
        id=change.id,
        customer_id=change.customer_id,
        field=change.field,
        kind=change.kind.value,
        old_value=change.old_value,
        new_value=change.new_value,
        old_display=shown(change.old_value),
        new_display=shown(change.new_value),
        reason=change.reason,
        changed_at=change.changed_at,
        changed_by=change.changed_by,
        changed_by_name=who,
    )


def summary(
    customer: Customer, projection: Projection, reasons: tuple[str, ...], score: float
) -> Match:
    parts = projection.parts
    held = plain_values(customer)

    def shown(name: str | None) -> str | None:
        if name is None or not projection.shows(name):
            return None
        return held.get(name) or None

    postcode = shown(parts.postcode)
    reference = shown(parts.reference)
    born = birth_year(shown(parts.date_of_birth))
    used = _name_fields_used(held, projection)
    used += [
        name
        for name, value in ((parts.postcode, postcode), (parts.reference, reference))
        if value is not None
    ]
    if born is not None:
        used.append(parts.date_of_birth)
    return Match(
        customer_id=customer.id,
        display_name=projection.display_name(held) or customer.id,
        postcode_district=values.postcode_district(postcode) if postcode else None,
        reasons=reasons,
        score=round(score, 1),
        fields_shown=tuple(sorted(used)),
        reference=reference,
        birth_year=born,
    )


def birth_year(stored: str | None) -> int | None:
    """The year of a date of birth as stored (ISO 8601): enough to tell people apart, and far
    less than the date a caller may be asked to state."""
    if stored is None or len(stored) < 4 or not stored[:4].isdigit():
        return None
    return int(stored[:4])


def _name_fields_used(held: dict[str, str], projection: Projection) -> list[str]:
    """The name fields the display name was built from (the preferred name stands in for the
    given name where the customer has one that may be shown)."""
    parts = projection.parts

    def usable(name: str | None) -> bool:
        return name is not None and bool(held.get(name)) and projection.shows(name)

    first = parts.preferred_name if usable(parts.preferred_name) else parts.given_name
    return [n for n in (first, parts.family_name) if n is not None and usable(n)]


def name_fields(projection: Projection) -> frozenset[str]:
    """The fields a display name is built from, of those the projection shows."""
    parts = projection.parts
    wanted = (parts.preferred_name, parts.given_name, parts.family_name)
    return frozenset(n for n in wanted if n is not None and projection.shows(n))


def summary_fields(projection: Projection) -> frozenset[str]:
    """The fields a summary needs opened: only those it may show."""
    parts = projection.parts
    wanted = (parts.postcode, parts.reference, parts.date_of_birth)
    return name_fields(projection) | {n for n in wanted if projection.shows(n)}
