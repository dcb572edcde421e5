"""The first step of a merge: two records side by side, to choose which one survives.

Both are shown as the policy's default purpose shows them to the reader's role, and the one
read event names both customers by id, with the fields shown of each.
"""

from __future__ import annotations

from dataclasses import dataclass

from clientkeep.audit.denials import records_denials
from clientkeep.customers._records import load
from clientkeep.customers.merge_preview import shown_pair
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.views import CustomerView, view_of
from clientkeep.policy import MERGE_CUSTOMERS
from clientkeep.policy.access import projection_for, require_capability
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class MergePair:
    first: CustomerView
    second: CustomerView
    # The older record: the one that survives unless the supervisor chooses the other.
    suggested_survivor_id: str
    # Shown by both, in policy order, for a side-by-side table.
    field_names: tuple[str, ...]

    def other_than(self, customer_id: str) -> str:
        return self.second.id if customer_id == self.first.id else self.first.id


@records_denials("customer.merged", customer="customer_id")
def compare_for_merge(
    customer_id: str,
    other_id: str,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> MergePair:
    require_capability(policy, actor.role, MERGE_CUSTOMERS, "merge customer records")
    projection = projection_for(policy, actor.role, policy.default_purpose)
    if customer_id == other_id:
        raise InvalidInput([("duplicate_id", "A record cannot be merged into itself.")])
    now = clock.now()
    with uow:
        first, second = load(uow, customer_id), load(uow, other_id)
        uow.audit.append(shown_pair(actor, projection, first, second, "choosing a survivor"))
        uow.commit()
    views = [
        view_of(c, policy=policy, role=actor.role, purpose=projection.purpose, now=now)
        for c in (first, second)
    ]
    # A tie goes to the record the supervisor came from (the queue links from the one the
    # newer record looks like).
    older = second if second.created_at < first.created_at else first
    names = tuple(n for n in policy.fields if n in views[0].fields or n in views[1].fields)
    return MergePair(views[0], views[1], older.id, names)
