"""The follow-up queue: contacts that need doing again, due first, for one member of staff or
the whole team. Names are cut by the projection, and every customer listed is named by id in
the read's one audit event."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.shown import naming_shown
from clientkeep.customers.views import display_name, name_fields
from clientkeep.interactions.ports import InteractionUnitOfWork
from clientkeep.interactions.recording import notes_part
from clientkeep.policy.access import projection_for
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.uk_time import uk_date
from clientkeep.staff.directory import directory

ACTION = "interaction.follow_ups_read"
LIMIT = 200


@dataclass(frozen=True, slots=True)
class FollowUpView:
    interaction_id: str
    customer_id: str
    display_name: str
    due: date
    overdue: bool
    owner_id: str
    owner_name: str
    logged_by: str
    occurred_at: datetime
    channel: str
    category: str
    purpose: str


@records_denials(ACTION)
def follow_ups(
    *,
    team: bool = False,
    due_before: date | None = None,
    purpose: str | None = None,
    uow: InteractionUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    limit: int = LIMIT,
) -> list[FollowUpView]:
    """Open follow-ups (due on or before ``due_before`` when given): the actor's own, or with
    ``team`` everyone's. Each customer shown is named in the audit event."""
    projection = projection_for(policy, actor.role, purpose or policy.default_purpose)
    # A follow-up says what contact needs following up: only a purpose that keeps notes of
    # contacts may list them.
    notes_part(policy, projection)
    names = name_fields(projection)
    today = uk_date(clock.now())
    with uow:
        found = uow.interactions.open_follow_ups(
            owner_id=None if team else actor.id, due_before=due_before, limit=limit
        )
        people = {
            c.id: c
            for c in uow.customers.get_many(
                list(dict.fromkeys(f.customer_id for f in found)), fields=names
            )
        }
        staff = directory(uow.staff)
        views = [
            FollowUpView(
                interaction_id=f.interaction_id,
                customer_id=f.customer_id,
                display_name=display_name(people[f.customer_id], projection),
                due=f.due,
                overdue=f.due < today,
                owner_id=f.owner_id,
                owner_name=staff.label(f.owner_id),
                logged_by=staff.label(f.staff_id),
                occurred_at=f.occurred_at,
                channel=f.channel.value,
                category=f.category.value,
                purpose=f.purpose,
            )
            for f in found
            if f.customer_id in people  # merged away or erased since
        ]
        shown = tuple(sorted(names))
        uow.audit.append(
            naming_shown(
                entry_for(
                    actor,
                    ACTION,
                    purpose=projection.purpose,
                    fields=shown,
                    detail={"follow_ups": len(views), "team": team},
                ),
                {v.customer_id: shown for v in views},
            )
        )
        uow.commit()
    return views
