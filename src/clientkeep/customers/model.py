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
    # Internal corrections: a letter came back undelivered; another system of ours said so.
    RETURNED_POST = "returned_post"
    INTERNAL_RECORDS = "internal_records"


# Where a person is on the line (or at the desk) as the change is made: a change from one of
# these is one the caller asks for, and rests on their verification.
CALLER_CHANNELS = (Source.PHONE, Source.IN_PERSON, Source.WEB)
# What an internal correction may say it came from: our own records and post, or what the
# customer sent us (a letter, an email) or a file we imported.
INTERNAL_SOURCES = (
    Source.RETURNED_POST,
    Source.INTERNAL_RECORDS,
    Source.POST,
    Source.EMAIL,
    Source.IMPORT,
)


# Markers a value's ``condition`` may hold, space-separated: the Article 9 condition a
# special-category value is held under, and that a phone number was kept although it is in no
# range known to be in use (staff read it back first). Fixed words, never personal values.
EXPLICIT_CONSENT = "explicit_consent"
UNLISTED_NUMBER = "unlisted_number"


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
    # What the value is held on: EXPLICIT_CONSENT (the Article 9 condition of a
    # special-category value) and/or UNLISTED_NUMBER, space-separated.
    condition: str | None = None

    @property
    def unlisted(self) -> bool:
        """A phone number kept outside the ranges known to be in use, after a read-back."""
        return UNLISTED_NUMBER in (self.condition or "").split()

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
