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

# How each reads on a screen (the timeline's titles, the forms' choices).
CHANNEL_LABELS = {
    Channel.PHONE: "Phone call",
    Channel.EMAIL: "Email",
    Channel.IN_PERSON: "In person",
    Channel.WEB: "Web form",
    Channel.LETTER: "Letter",
    Channel.CHAT: "Chat",
}
CATEGORY_LABELS = {
    Category.ENQUIRY: "enquiry",
    Category.REQUEST: "request",
    Category.COMPLAINT: "complaint",
    Category.FEEDBACK: "feedback",
    Category.UPDATE: "update",
    Category.OTHER: "other",
}
OUTCOME_LABELS = {
    Outcome.RESOLVED: "Resolved",
    Outcome.FOLLOW_UP: "Needs a follow-up",
    Outcome.ESCALATED: "Escalated",
    Outcome.TRANSFERRED: "Transferred",
    Outcome.NO_RESPONSE: "No response, message left",
}
