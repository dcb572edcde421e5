"""The review queue: records not confirmed within the policy's period, and suspected
duplicates, for a supervisor to work through.

Names are shown as the policy's default purpose shows them to the reader's role, and every
customer the queue shows is in the audit trail by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.shown import naming_shown
from clientkeep.customers.views import display_name, is_stale, name_fields, staleness_cutoffs
from clientkeep.policy import WORK_REVIEW
from clientkeep.policy.access import projection_for, require_capability
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import NotFound

__all__ = ["WORK_REVIEW", "ReviewQueue", "dismiss_duplicate", "review_queue"]


@dataclass(frozen=True, slots=True)
class StaleRecord:
    customer_id: str
    display_name: str
    # Only fields the queue's projection shows are named; the rest are counted.
    stale_fields: tuple[str, ...]
    oldest_confirmation: datetime
    other_stale: int = 0


@dataclass(frozen=True, slots=True)
class SuspectedDuplicate:
    id: str
    customer_id: str
    display_name: str
    other_id: str
    other_display_name: str
    reasons: tuple[str, ...]
    detected_at: datetime


@dataclass(frozen=True, slots=True)
class ReviewQueue:
    stale: list[StaleRecord]
    duplicates: list[SuspectedDuplicate]
    # How many are queued in all, of which the lists are the first page; None where the
    # caller did not ask for the count and the page was full.
    stale_total: int | None = None
    duplicates_total: int | None = None


def _require(policy: Policy, actor: Actor) -> None:
    require_capability(policy, actor.role, WORK_REVIEW, "work the review queue")


@records_denials("review.read")
def review_queue(
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    limit: int = 100,
    count_all: bool = False,
) -> ReviewQueue:
    """The first ``limit`` stale records and suspected duplicates. A page that is not full is
    the whole queue; ``count_all`` also counts a full one to the end (a count in the database
    over the confirmation times: worth it for a report, not for every screen)."""
    _require(policy, actor)
    projection = projection_for(policy, actor.role, policy.default_purpose)
    # The queue shows names alone: only they are opened, and only they are recorded.
    names = name_fields(projection)
    now = clock.now()
    cutoffs = staleness_cutoffs(policy, now)
    with uow:
        stale_ids = uow.customers.stale_candidates(cutoffs, limit=limit)
        stale = []
        for customer in uow.customers.get_many(stale_ids):
            # Staleness needs every field's confirmation time: names alone are shown.
            fields = tuple(
                n
                for n, r in customer.fields.items()
                if n in cutoffs and is_stale(policy, n, r.last_confirmed, now)
            )
            if fields:
                oldest = min(customer.fields[n].last_confirmed for n in fields)
                shown_name = display_name(customer, projection)
                named = tuple(n for n in fields if projection.shows(n))
                stale.append(
                    StaleRecord(
                        customer.id, shown_name, named, oldest, other_stale=len(fields) - len(named)
                    )
                )
        stale_total = len(stale) if len(stale_ids) < limit else None
        if stale_total is None and count_all:
            stale_total = uow.customers.count_stale(cutoffs)
        suspects = uow.duplicates.open(limit=limit)
        duplicates_total = len(suspects) if len(suspects) < limit else None
        if duplicates_total is None and count_all:
            duplicates_total = uow.duplicates.count_open()
        ids = sorted({s.customer_id for s in suspects} | {s.other_id for s in suspects})
        people = {c.id: c for c in uow.customers.get_many(ids, fields=names)}
        duplicates = [
            SuspectedDuplicate(
                s.id,
                s.customer_id,
                display_name(people[s.customer_id], projection),
                s.other_id,
                display_name(people[s.other_id], projection),
                s.reasons,
                s.detected_at,
            )
            for s in suspects
            if s.customer_id in people and s.other_id in people
        ]
        shown_ids = dict.fromkeys(
            [s.customer_id for s in stale]
            + [i for d in duplicates for i in (d.customer_id, d.other_id)]
        )
        shown_names = tuple(sorted(names))
        uow.audit.append(
            naming_shown(
                entry_for(
                    actor,
                    "review.read",
                    purpose=projection.purpose,
                    fields=shown_names,
                    detail={"stale": len(stale), "duplicates": len(duplicates)},
                ),
                dict.fromkeys(shown_ids, shown_names),
            )
        )
        uow.commit()
    stale.sort(key=lambda s: s.oldest_confirmation)
    return ReviewQueue(
        stale=stale,
        duplicates=duplicates,
        stale_total=stale_total,
        duplicates_total=duplicates_total,
    )


@records_denials("review.duplicate_dismissed")
def dismiss_duplicate(
    suspect_id: str, *, uow: CustomerUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> None:
    """A supervisor decided the two records are different people."""
    _require(policy, actor)
    with uow:
        if not uow.duplicates.resolve(suspect_id, clock.now(), "not_duplicate"):
            raise NotFound("No open suspected duplicate has that id.", field="suspect_id")
        uow.audit.append(
            entry_for(actor, "review.duplicate_dismissed", detail={"suspect_id": suspect_id})
        )
        uow.commit()
