"""Merging a duplicate into the record that survives, losing nothing.

The survivor keeps its values unless the supervisor takes the duplicate's, field by field;
values only the duplicate holds come across; every value not kept stays in the survivor's
history, and the duplicate's own history moves across. The duplicate's id remains as a
tombstone pointing at the survivor. Later capabilities that hold records per customer
(interactions, consents) move theirs here too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from clientkeep.audit.model import entry_for
from clientkeep.customers._collect import check_purpose
from clientkeep.customers.model import Change, ChangeKind, FieldRecord
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.services import REFERENCE_FIELD, _reason, _reindex, load
from clientkeep.customers.views import CustomerView, view_of
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import new_id

MERGE_CUSTOMERS = "customers.merge"


@dataclass(frozen=True, slots=True)
class MergeCustomers:
    duplicate_id: str
    reason: str
    purpose: str = "service"
    # Fields where the duplicate's value replaces the survivor's.
    take_from_duplicate: frozenset[str] = frozenset()


def merge(
    survivor_id: str,
    cmd: MergeCustomers,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> CustomerView:
    if not policy.has_capability(actor.role, MERGE_CUSTOMERS):
        raise PermissionDenied(f"The {actor.role} role may not merge customer records.")
    purpose = check_purpose(policy, actor, cmd.purpose)
    reason = _reason(cmd.reason)
    if survivor_id == cmd.duplicate_id:
        raise InvalidInput([("duplicate_id", "A record cannot be merged into itself.")])
    if REFERENCE_FIELD in cmd.take_from_duplicate:
        raise InvalidInput([("take_from_duplicate", "The survivor keeps its own reference.")])
    outside = sorted(cmd.take_from_duplicate - policy.visible_fields(actor.role, purpose.name))
    if outside:
        raise InvalidInput(
            [
                (f"take_from_duplicate.{n}", f"Not a field shown under {purpose.name}.")
                for n in outside
            ]
        )
    now = clock.now()
    with uow:
        survivor = load(uow, survivor_id)
        duplicate = load(uow, cmd.duplicate_id)
        unknown = sorted(cmd.take_from_duplicate - set(duplicate.fields))
        if unknown:
            raise InvalidInput(
                [
                    (f"take_from_duplicate.{n}", "The duplicate holds no value here.")
                    for n in unknown
                ]
            )
        note = f"merged {duplicate.id} into {survivor.id}: {reason}"
        taken: dict[str, FieldRecord] = {}
        changes: list[Change] = []
        for name, record in duplicate.fields.items():
            mine = survivor.value(name)
            take = name != REFERENCE_FIELD and (name in cmd.take_from_duplicate or mine is None)
            if take:
                taken[name] = replace(record, updated_at=now, updated_by=actor.id)
            kept_note = "duplicate's value taken" if take else "duplicate's value not kept"
            changes.append(
                Change(
                    id=new_id("chg"),
                    customer_id=survivor.id,
                    field=name,
                    kind=ChangeKind.MERGED,
                    old_value=mine if take else record.value,
                    new_value=record.value if take else mine,
                    reason=f"{note} ({kept_note})",
                    changed_at=now,
                    changed_by=actor.id,
                )
            )
        moved = uow.history.move(duplicate.id, survivor.id)
        if taken:
            uow.customers.set_fields(survivor.id, taken, now)
            whole = {n: r.value for n, r in survivor.fields.items()}
            whole.update({n: r.value for n, r in taken.items()})
            _reindex(uow, policy, survivor.id, set(taken), whole)
        uow.history.add(changes)
        uow.duplicates.resolve_for(duplicate.id, now, f"merged into {survivor.id}")
        uow.customers.mark_merged(duplicate.id, survivor.id, now)
        for customer_id, other in ((survivor.id, duplicate.id), (duplicate.id, survivor.id)):
            uow.audit.append(
                entry_for(
                    actor,
                    "customer.merged",
                    customer_id=customer_id,
                    purpose=purpose.name,
                    fields=tuple(sorted(taken)) if customer_id == survivor.id else (),
                    detail={
                        "survivor_id": survivor.id,
                        "duplicate_id": duplicate.id,
                        "history_moved": moved,
                        "other_id": other,
                    },
                )
            )
        fresh = replace(survivor, updated_at=now, fields={**survivor.fields, **taken})
        view = view_of(fresh, policy=policy, role=actor.role, purpose=purpose.name, now=now)
        uow.commit()
    return view
