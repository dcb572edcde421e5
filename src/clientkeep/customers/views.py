"""What a read returns: only the fields the purpose uses and the role may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from clientkeep.customers import values
from clientkeep.customers.model import Customer
from clientkeep.policy.model import Policy


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


@dataclass(frozen=True, slots=True)
class CustomerView:
    id: str
    purpose: str
    display_name: str
    created_at: datetime
    updated_at: datetime
    fields: dict[str, FieldView]


def is_stale(policy: Policy, name: str, last_confirmed: datetime, now: datetime) -> bool:
    return now - last_confirmed > timedelta(days=policy.staleness.days_for(name))


def view_of(
    customer: Customer, *, policy: Policy, role: str, purpose: str, now: datetime
) -> CustomerView:
    visible = policy.visible_fields(role, purpose)
    shown: dict[str, FieldView] = {}
    # Policy order, so every screen lists fields the same way.
    for name, definition in policy.fields.items():
        record = customer.fields.get(name)
        if name not in visible or record is None:
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
        )
    name_visible = {"given_name", "family_name"} & visible
    return CustomerView(
        id=customer.id,
        purpose=purpose,
        display_name=customer.display_name if name_visible else customer.id,
        created_at=customer.created_at,
        updated_at=customer.updated_at,
        fields=shown,
    )
