"""The review queue: records not confirmed within the policy's period, and suspected
duplicates, for a supervisor to work through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from clientkeep.audit.model import entry_for
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.views import is_stale
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import NotFound, PermissionDenied

WORK_REVIEW = "review.work"


@dataclass(frozen=True, slots=True)
class StaleRecord:
    customer_id: str
    display_name: str
    stale_fields: tuple[str, ...]
    oldest_confirmation: datetime


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


def _require(policy: Policy, actor: Actor) -> None:
    if not policy.has_capability(actor.role, WORK_REVIEW):
        raise PermissionDenied(f"The {actor.role} role does not work the review queue.")


def review_queue(
    *, uow: CustomerUnitOfWork, actor: Actor, policy: Policy, clock: Clock, limit: int = 100
) -> ReviewQueue:
    _require(policy, actor)
    now = clock.now()
    cutoffs = {
        name: now - timedelta(days=policy.staleness.days_for(name))
        for name, definition in policy.fields.items()
        if not definition.system
    }
    with uow:
        stale_ids = uow.customers.stale_candidates(cutoffs, limit=limit)
        stale = []
        for customer in uow.customers.get_many(stale_ids):
            fields = tuple(
                n
                for n, r in customer.fields.items()
                if n in cutoffs and is_stale(policy, n, r.last_confirmed, now)
            )
            if fields:
                oldest = min(customer.fields[n].last_confirmed for n in fields)
                stale.append(StaleRecord(customer.id, customer.display_name, fields, oldest))
        suspects = uow.duplicates.open(limit=limit)
        people = {
            c.id: c
            for c in uow.customers.get_many(
                sorted({s.customer_id for s in suspects} | {s.other_id for s in suspects})
            )
        }
        duplicates = [
            SuspectedDuplicate(
                s.id,
                s.customer_id,
                people[s.customer_id].display_name,
                s.other_id,
                people[s.other_id].display_name,
                s.reasons,
                s.detected_at,
            )
            for s in suspects
            if s.customer_id in people and s.other_id in people
        ]
        uow.audit.append(
            entry_for(
                actor,
                "review.read",
                fields=("given_name", "family_name", "preferred_name"),
                detail={"stale": len(stale), "duplicates": len(duplicates)},
            )
        )
        uow.commit()
    stale.sort(key=lambda s: s.oldest_confirmation)
    return ReviewQueue(stale=stale, duplicates=duplicates)


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
