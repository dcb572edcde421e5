"""Merging a duplicate into the record that survives, losing nothing.

Every registered kind of personal record moves its rows from the duplicate to the survivor
(the field values decide, field by field, what the survivor keeps; history moves whole); the
duplicate's id remains as a tombstone pointing at the survivor. A capability that adds a kind
registers it in the composition root and this module never changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers._records import load, load_locked, reason_of
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.views import CustomerView, view_of
from clientkeep.policy import MERGE_CUSTOMERS
from clientkeep.policy.access import projection_for, require_capability
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput
from clientkeep.shared.record_kinds import MergeContext, RecordKinds


@dataclass(frozen=True, slots=True)
class MergeCustomers:
    duplicate_id: str
    reason: str
    purpose: str
    # Fields where the duplicate's value replaces the survivor's.
    take_from_duplicate: frozenset[str] = frozenset()


@records_denials("customer.merged", customer="survivor_id")
def merge(
    survivor_id: str,
    cmd: MergeCustomers,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    kinds: RecordKinds,
) -> CustomerView:
    require_capability(policy, actor.role, MERGE_CUSTOMERS, "merge customer records")
    projection = projection_for(policy, actor.role, cmd.purpose)
    reason = reason_of(cmd.reason)
    if survivor_id == cmd.duplicate_id:
        raise InvalidInput([("duplicate_id", "A record cannot be merged into itself.")])
    if any(name not in policy.fields for name in cmd.take_from_duplicate):
        raise InvalidInput([("take_from_duplicate", "Name only fields the policy declares.")])
    if policy.field_roles.reference in cmd.take_from_duplicate:
        raise InvalidInput([("take_from_duplicate", "The survivor keeps its own reference.")])
    outside = sorted(n for n in cmd.take_from_duplicate if not projection.shows(n))
    if outside:
        raise InvalidInput(
            [
                (f"take_from_duplicate.{n}", f"Not a field shown under {projection.purpose}.")
                for n in outside
            ]
        )
    now = clock.now()
    with uow:
        # Both locked in id order: two merges of one pair in opposite directions take turns,
        # and the second finds its survivor already a tombstone.
        survivor, duplicate = load_locked(uow, survivor_id, cmd.duplicate_id)
        unknown = sorted(cmd.take_from_duplicate - set(duplicate.fields))
        if unknown:
            raise InvalidInput(
                [
                    (f"take_from_duplicate.{n}", "The duplicate holds no value here.")
                    for n in unknown
                ]
            )
        context = MergeContext(
            survivor_id=survivor.id,
            duplicate_id=duplicate.id,
            actor=actor,
            purpose=projection.purpose,
            reason=reason,
            now=now,
            take_from_duplicate=cmd.take_from_duplicate,
        )
        moved = {kind.name: kind.move(uow, context) for kind in kinds}
        uow.duplicates.resolve_for(duplicate.id, now, f"merged into {survivor.id}")
        uow.customers.mark_merged(duplicate.id, survivor.id, now)
        fresh = load(uow, survivor.id)
        taken = tuple(
            sorted(cmd.take_from_duplicate | (set(duplicate.fields) - set(survivor.fields)))
        )
        for customer_id, other in ((survivor.id, duplicate.id), (duplicate.id, survivor.id)):
            uow.audit.append(
                entry_for(
                    actor,
                    "customer.merged",
                    customer_id=customer_id,
                    purpose=projection.purpose,
                    fields=taken if customer_id == survivor.id else (),
                    detail={
                        "survivor_id": survivor.id,
                        "duplicate_id": duplicate.id,
                        "other_id": other,
                        **{f"moved_{name}": count for name, count in moved.items()},
                    },
                )
            )
        view = view_of(fresh, policy=policy, role=actor.role, purpose=projection.purpose, now=now)
        uow.commit()
    return view
