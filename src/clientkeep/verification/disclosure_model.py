"""A disclosure: that a member of staff told someone some of a customer's details."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    LETTER = "letter"
    IN_PERSON = "in_person"


CHANNELS = tuple(c.value for c in Channel)


@dataclass(frozen=True, slots=True)
class Disclosure:
    id: str
    customer_id: str
    staff_id: str
    at: datetime
    purpose: str
    channel: Channel
    # Names of the fields told, in the order asked for; never their values.
    fields: tuple[str, ...]
    # What it rested on: a verification of the caller, or an approved third-party request.
    # Exactly one is set.
    verification_id: str | None
    recipient: str = field(repr=False)
    request_id: str | None = None
