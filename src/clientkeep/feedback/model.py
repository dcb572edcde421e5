"""A customer's answer to a satisfaction question: a CSAT score (1-5) or an NPS score (0-10).

The score, the month it was given in, and the channel, category and member of staff of the
contact it rates are plain, so reports are counted in SQL; anything the customer said with it
is sealed under their key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

PREFIX = "fbk"
# The id of every feedback answer: fbk_ and 24 characters, like shared.ids.new_id's.
ID_LENGTH = len(PREFIX) + 1 + 24


class Scale(StrEnum):
    CSAT = "csat"  # "How satisfied were you?" 1 (very dissatisfied) to 5 (very satisfied)
    NPS = "nps"  # "How likely are you to recommend us?" 0 (not at all) to 10 (extremely)


SCALES = tuple(s.value for s in Scale)
# The lowest and highest answer of each scale, both included.
RANGES = {Scale.CSAT: (1, 5), Scale.NPS: (0, 10)}


@dataclass(frozen=True, slots=True)
class Feedback:
    id: str
    customer_id: str
    at: datetime
    # The UK calendar month of ``at`` ("2026-11").
    month: str
    purpose: str
    recorded_by: str
    # The member of staff whose contact it rates: the linked interaction's, else the recorder.
    staff_id: str
    interaction_id: str | None
    channel: str | None
    category: str | None
    scale: Scale
    score: int
    comment: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class LinkedContact:
    """What an answer copies from the interaction it rates."""

    id: str
    customer_id: str
    staff_id: str
    channel: str
    category: str
    occurred_at: datetime
