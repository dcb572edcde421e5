"""Customer records as the domain sees them: plain values, never keys or ciphertext."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Source(StrEnum):
    """How a value reached us: part of showing it was collected fairly."""

    PHONE = "phone"
    EMAIL = "email"
    IN_PERSON = "in_person"
    WEB = "web"
    POST = "post"
    IMPORT = "import"


class ChangeKind(StrEnum):
    COLLECTED = "collected"
    RECTIFIED = "rectified"
    REMOVED = "removed"
    MERGED = "merged"


@dataclass(frozen=True, slots=True)
class FieldRecord:
    value: str
    updated_at: datetime
    updated_by: str
    source: Source
    confirmed_at: datetime | None = None
    confirmed_method: str | None = None
    # The Article 9 condition a special-category value is held under, e.g. explicit_consent.
    condition: str | None = None

    @property
    def last_confirmed(self) -> datetime:
        """When the value was last known right: confirmed, or else when it was collected."""
        return self.confirmed_at or self.updated_at


@dataclass(frozen=True, slots=True)
class Customer:
    id: str
    created_at: datetime
    updated_at: datetime
    fields: Mapping[str, FieldRecord] = field(default_factory=dict)
    merged_into: str | None = None

    def value(self, name: str) -> str | None:
        record = self.fields.get(name)
        return record.value if record else None


@dataclass(frozen=True, slots=True)
class Change:
    """One entry of a record's history: who changed which field, when, why, from what."""

    id: str
    customer_id: str
    field: str
    kind: ChangeKind
    old_value: str | None
    new_value: str | None
    reason: str
    changed_at: datetime
    changed_by: str
