"""Interactions as a source of the customer's timeline: left out entirely under a purpose
whose projection does not show the contact-notes field."""

from __future__ import annotations

from datetime import datetime

from clientkeep.interactions.model import Interaction, PageMarks
from clientkeep.interactions.ports import InteractionUnitOfWork
from clientkeep.interactions.vocabulary import CATEGORY_LABELS, CHANNEL_LABELS, OUTCOME_LABELS
from clientkeep.policy.model import Policy
from clientkeep.shared.timeline import TimelineEntry

INTERACTION = "interaction"
# Labels of details a screen acts on: an entry corrected, a follow-up due and one done.
CORRECTED_BY = "Corrected by"
FOLLOW_UP_DUE = "Follow-up due"
FOLLOWED_UP_BY = "Followed up by"


def title_of(i: Interaction) -> str:
    title = f"{CHANNEL_LABELS[i.channel]}: {CATEGORY_LABELS[i.category]}"
    return f"{title} (correction)" if i.corrects else title


def details_of(i: Interaction, marks: PageMarks) -> tuple[tuple[str, str], ...]:
    details = [("Nature", i.notes.nature), ("Actions taken", i.notes.actions_taken)]
    details.append(("Outcome", OUTCOME_LABELS[i.outcome]))
    if i.follow_up_due is not None:
        details.append((FOLLOW_UP_DUE, i.follow_up_due.isoformat()))
    if i.follows_up:
        details.append(("Follows up", i.follows_up))
    if i.corrects:
        details.append(("Corrects", i.corrects))
        details.append(("Reason for the correction", i.notes.reason or ""))
    if i.id in marks.followed_up_by:
        details.append((FOLLOWED_UP_BY, marks.followed_up_by[i.id]))
    if i.id in marks.corrected_by:
        details.append((CORRECTED_BY, marks.corrected_by[i.id]))
    if i.warnings:
        details.append(("Note checker warned of", ", ".join(i.warnings)))
    return tuple(details)


class InteractionTimeline:
    name = INTERACTION

    def __init__(self, policy: Policy) -> None:
        self._part = policy.field_roles.contact_notes

    def entries(
        self,
        uow: InteractionUnitOfWork,
        customer_id: str,
        *,
        shown: frozenset[str],
        before: tuple[datetime, str] | None,
        limit: int,
    ) -> list[TimelineEntry]:
        if self._part is None or self._part not in shown:
            return []
        found = uow.interactions.page(customer_id, before=before, limit=limit)
        marks = uow.interactions.marks([i.id for i in found])
        return [
            TimelineEntry(
                kind=INTERACTION,
                entry_id=i.id,
                at=i.occurred_at,
                staff_id=i.staff_id,
                title=title_of(i),
                details=details_of(i, marks),
                fields=frozenset({self._part}),
                parent_id=i.corrects,
            )
            for i in found
        ]
