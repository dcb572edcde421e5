"""Reading a customer for a purpose: the record and its history, cut by the projection.

Each read records itself in the same unit of work and commits before answering: nothing is
shown that is not in the trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers._records import load
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.views import CustomerView, HistoryEntry, history_entry, view_of
from clientkeep.policy.access import projection_for, purpose_for
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.staff.directory import directory
from clientkeep.staff.ports import StaffRepository


class HistoryUnitOfWork(CustomerUnitOfWork, Protocol):
    """A history names who made each change, so it reads the staff directory too."""

    staff: StaffRepository


def read_in(
    customer_id: str,
    *,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    purpose: str,
    now: datetime,
) -> CustomerView:
    """Read inside the caller's open unit, recording the read there (the caller commits)."""
    view = view_of(load(uow, customer_id), policy=policy, role=actor.role, purpose=purpose, now=now)
    uow.audit.append(
        entry_for(
            actor,
            "customer.read",
            customer_id=customer_id,
            purpose=purpose,
            fields=tuple(view.fields),
        )
    )
    return view


@records_denials("customer.read", customer="customer_id")
def read(
    customer_id: str,
    *,
    purpose: str,
    uow: CustomerUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> CustomerView:
    """The fields ``purpose`` uses that the role may see; the read is audited by field."""
    chosen = purpose_for(policy, actor.role, purpose)
    with uow:
        view = read_in(
            customer_id, uow=uow, actor=actor, policy=policy, purpose=chosen.name, now=clock.now()
        )
        uow.commit()
    return view


@records_denials("customer.history_read", customer="customer_id")
def history(
    customer_id: str, *, purpose: str, uow: HistoryUnitOfWork, actor: Actor, policy: Policy
) -> list[HistoryEntry]:
    """Changes to the fields this purpose shows this role, newest first, each naming who
    made it by name and role, with values as the record shows them; audited."""
    projection = projection_for(policy, actor.role, purpose)
    with uow:
        load(uow, customer_id)
        changes = [c for c in uow.history.for_customer(customer_id) if projection.shows(c.field)]
        people = directory(uow.staff)
        uow.audit.append(
            entry_for(
                actor,
                "customer.history_read",
                customer_id=customer_id,
                purpose=projection.purpose,
                fields=tuple(sorted({c.field for c in changes})),
            )
        )
        uow.commit()
    return [
        history_entry(c, policy, people.label(c.changed_by))
        for c in sorted(changes, key=lambda c: (c.changed_at, c.id), reverse=True)
    ]
