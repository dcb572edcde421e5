"""Merging a duplicate into the record that survives, losing nothing.

Every registered kind of personal record moves its rows from the duplicate to the survivor
(the field values decide, field by field, what the survivor keeps; history moves whole); the
duplicate's id remains as a tombstone pointing at the survivor. A capability that adds a kind
registers it in the composition root and this module never changes.

What is merged is what the preview (``merge_preview``) shows: the merge works it out again
from the records under lock, and given the preview's digest refuses when either record
changed since. The name is taken whole from one record or the other.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers._records import load, load_locked, reason_of, rewrite_terms
from clientkeep.customers.merge_preview import (
    MergeChoices,
    MergePreviewOutdated,
    build,
    check_choices,
    digest_of,
)
from clientkeep.customers.model import Change, ChangeKind
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.views import CustomerView, view_of
from clientkeep.policy import MERGE_CUSTOMERS
from clientkeep.policy.access import projection_for, require_capability
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput
from clientkeep.shared.ids import new_id
from clientkeep.shared.record_kinds import MergeContext, RecordKinds

__all__ = ["MergeCustomers", "MergePreviewOutdated", "merge"]


@dataclass(frozen=True, slots=True)
class MergeCustomers:
    duplicate_id: str
    reason: str
    purpose: str
    # Fields other than the name where the duplicate's value replaces the survivor's.
    take_from_duplicate: frozenset[str] = frozenset()
    # The duplicate's whole name (given, family and preferred together) replaces the survivor's.
    name_from_duplicate: bool = False
    # The digest of the preview being confirmed: refused if either record changed since.
    preview_digest: str | None = None


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
    choices = MergeChoices(cmd.name_from_duplicate, cmd.take_from_duplicate)
    check_choices(policy, projection, choices)
    now = clock.now()
    with uow:
        # Both locked in id order: two merges of one pair in opposite directions take turns,
        # and the second finds its survivor already a tombstone.
        survivor, duplicate = load_locked(uow, survivor_id, cmd.duplicate_id)
        now_digest = digest_of(survivor, duplicate, choices, projection)
        if cmd.preview_digest is not None and not hmac.compare_digest(
            cmd.preview_digest.encode(), now_digest.encode()
        ):
            raise MergePreviewOutdated()
        plan = build(survivor, duplicate, choices, policy=policy, projection=projection, moves=())
        context = MergeContext(
            survivor_id=survivor.id,
            duplicate_id=duplicate.id,
            actor=actor,
            purpose=projection.purpose,
            reason=reason,
            now=now,
            take_from_duplicate=plan.take,
        )
        moved = {kind.name: kind.move(uow, context) for kind in kinds}
        _keep_the_name_whole(uow, policy, context, plan.drop)
        uow.duplicates.resolve_for(duplicate.id, now, f"merged into {survivor.id}")
        uow.customers.mark_merged(duplicate.id, survivor.id, now)
        fresh = load(uow, survivor.id)
        gained = set(duplicate.fields) - set(survivor.fields)
        taken = tuple(sorted((plan.take | gained) - plan.drop))
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


def _keep_the_name_whole(
    uow: CustomerUnitOfWork, policy: Policy, merge: MergeContext, drop: frozenset[str]
) -> None:
    """Remove the name parts the chosen name does not have.

    The kinds bring across every value the survivor lacked, and the survivor keeps what the
    duplicate lacked; for the name that would make one neither person has ("Rhys Jones,
    known as Bob" from "Rhys Jones" and "Rees Jones, known as Bob"). What goes stays in the
    history, like every value a merge does not keep.
    """
    survivor = load(uow, merge.survivor_id)
    gone = {n: survivor.fields[n].value for n in sorted(drop) if n in survivor.fields}
    if not gone:
        return
    uow.customers.remove_fields(survivor.id, gone, merge.now)
    uow.history.add(
        [
            Change(
                id=new_id("chg"),
                customer_id=survivor.id,
                field=name,
                kind=ChangeKind.REMOVED,
                old_value=value,
                new_value=None,
                reason=(
                    f"merged {merge.duplicate_id} into {survivor.id}: {merge.reason} "
                    "(not part of the name kept)"
                ),
                changed_at=merge.now,
                changed_by=merge.actor.id,
            )
            for name, value in gone.items()
        ]
    )
    left = {n: r.value for n, r in survivor.fields.items() if n not in gone}
    rewrite_terms(uow, policy, survivor.id, set(gone), left)
