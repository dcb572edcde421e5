"""The closed vocabularies of a contact: how it came, what it was about, how it ended.

Complaints and feedback use the same channels and categories, so reports group all three
alike.
"""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    IN_PERSON = "in_person"
    WEB = "web"
    LETTER = "letter"
    CHAT = "chat"


class Category(StrEnum):
    ENQUIRY = "enquiry"
    REQUEST = "request"
    COMPLAINT = "complaint"
    FEEDBACK = "feedback"
    UPDATE = "update"
    OTHER = "other"


class Outcome(StrEnum):
    RESOLVED = "resolved"
    FOLLOW_UP = "follow_up"  # needs a follow-up by a due date
    ESCALATED = "escalated"
    TRANSFERRED = "transferred"
    NO_RESPONSE = "no_response"  # no answer, message left


CHANNELS = tuple(c.value for c in Channel)
CATEGORIES = tuple(c.value for c in Category)
OUTCOMES = tuple(o.value for o in Outcome)
