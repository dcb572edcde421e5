"""Feedback on a customer's timeline: an entry per answer ("CSAT 4 of 5"), with what the
customer said, only where the reader's projection shows the feedback field."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from clientkeep.feedback.model import RANGES, Feedback
from clientkeep.policy.model import Policy
from clientkeep.shared.timeline import TimelineEntry

TITLES = {"csat": "Satisfaction (CSAT)", "nps": "Likely to recommend (NPS)"}


class FeedbackTimeline:
    name = "feedback"

    def __init__(self, policy: Policy) -> None:
        self._field = policy.field_roles.feedback

    def _entry(self, f: Feedback) -> TimelineEntry:
        high = RANGES[f.scale][1]
        details: list[tuple[str, str]] = [("Score", f"{f.scale.value.upper()} {f.score} of {high}")]
        if f.comment:
            details.append(("Comment", f.comment))
        return TimelineEntry(
            kind=self.name,
            entry_id=f.id,
            at=f.at,
            staff_id=f.recorded_by,
            title=f"Feedback: {TITLES[f.scale.value]}",
            details=tuple(details),
            fields=frozenset({self._field}) if self._field else frozenset(),
            parent_id=f.interaction_id,
        )

    def entries(
        self,
        uow: Any,
        customer_id: str,
        *,
        shown: frozenset[str],
        before: tuple[datetime, str] | None,
        limit: int,
    ) -> list[TimelineEntry]:
        # A score is a value of the feedback field as much as a comment is.
        if self._field is None or self._field not in shown or limit <= 0:
            return []
        found = uow.feedback.page(customer_id, before=before, limit=limit)
        return [self._entry(f) for f in found]
