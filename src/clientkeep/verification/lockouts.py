"""Customers whose caller checks are locked now, for a supervisor working the review queue.

A lockout means someone kept failing to prove they were the customer: a supervisor may want to
call the customer back on the number on record, or look at who kept trying. The list says how
many checks failed, when the lock lifts and which members of staff ran them, never what any
caller said or what is held. Names are shown as the policy's default purpose shows them to the
reader, and every customer listed is named in the read's audit event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Protocol

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.shown import naming_shown
from clientkeep.customers.views import display_name, name_fields
from clientkeep.policy import WORK_REVIEW
from clientkeep.policy.access import projection_for, require_capability
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.staff.directory import directory
from clientkeep.staff.ports import StaffRepository
from clientkeep.verification.model import Method, VerificationRules
from clientkeep.verification.ports import FailedAttempt, VerificationUnitOfWork

ACTION = "verification.lockouts_read"


@dataclass(frozen=True, slots=True)
class LockedCustomer:
    customer_id: str
    # As the default purpose shows the reader the name; the id where it shows none.
    display_name: str
    # Failed checks within the lockout's window, the first and latest of them.
    failures: int
    first_failure_at: datetime
    last_failure_at: datetime
    # When checks for the customer may be tried again.
    retry_at: datetime
    # Who ran the failed checks: staff ids, and each by name and role, in order of first try.
    tried_by: tuple[str, ...]
    tried_by_names: tuple[str, ...]


class LockoutsUnitOfWork(VerificationUnitOfWork, Protocol):
    staff: StaffRepository


def lockout_rules_of(policy: Policy) -> VerificationRules | None:
    """The rules every method's failures lock by: the knowledge check's, else the one-time
    code's (as ``services.lockout_rules``); None where the policy declares no check."""
    for kind in (Method.KNOWLEDGE, Method.ONE_TIME_CODE):
        method = policy.verification.get(kind.value)
        if method is not None:
            return VerificationRules.of(method)
    return None


def locked_now(
    failed: Sequence[FailedAttempt], rules: VerificationRules, now: datetime
) -> list[tuple[str, list[FailedAttempt], datetime]]:
    """(customer id, their failures in the window, when the lock lifts) for each customer the
    failures lock at ``now``, by the same count as ``services.refuse_if_locked``."""
    locked = []
    ordered = sorted(failed, key=lambda f: (f.customer_id, f.at))
    for customer_id, rows in groupby(ordered, key=lambda f: f.customer_id):
        recent = [f for f in rows if f.at > now - rules.failure_window]
        if len(recent) >= rules.max_failures:
            retry_at = recent[len(recent) - rules.max_failures].at + rules.failure_window
            locked.append((customer_id, recent, retry_at))
    return locked


@records_denials(ACTION)
def locked_customers(
    *,
    uow: LockoutsUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    limit: int = 100,
) -> list[LockedCustomer]:
    """The customers whose checks are locked now, the lock lifting soonest last (newest
    trouble first); up to ``limit``. For members with ``review.work``; audited naming each."""
    require_capability(policy, actor.role, WORK_REVIEW, "see whose caller checks are locked")
    projection = projection_for(policy, actor.role, policy.default_purpose)
    names = name_fields(projection)
    rules = lockout_rules_of(policy)
    now = clock.now()
    with uow:
        failed = uow.verifications.failed_since(now - rules.failure_window) if rules else []
        every = locked_now(failed, rules, now) if rules else []
        locked = sorted(every, key=lambda x: (x[2], x[0]), reverse=True)[:limit]
        ids = [customer_id for customer_id, _, _ in locked]
        people = {c.id: c for c in uow.customers.get_many(ids, fields=names)}
        staff = directory(uow.staff)
        found = []
        for customer_id, recent, retry_at in locked:
            customer = people.get(customer_id)
            if customer is None:
                continue  # merged away or erased since: its checks are not this customer's
            who = tuple(dict.fromkeys(f.staff_id for f in recent))
            found.append(
                LockedCustomer(
                    customer_id=customer_id,
                    display_name=display_name(customer, projection),
                    failures=len(recent),
                    first_failure_at=recent[0].at,
                    last_failure_at=recent[-1].at,
                    retry_at=retry_at,
                    tried_by=who,
                    tried_by_names=tuple(staff.label(s) for s in who),
                )
            )
        shown = tuple(sorted(names))
        uow.audit.append(
            naming_shown(
                entry_for(
                    actor,
                    ACTION,
                    purpose=projection.purpose,
                    fields=shown,
                    detail={"locked": len(found)},
                ),
                {f.customer_id: shown for f in found},
            )
        )
        uow.commit()
    return sorted(found, key=lambda f: (f.retry_at, f.customer_id), reverse=True)
