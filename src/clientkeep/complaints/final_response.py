"""The final response letter to a resolved complaint, rendered through a port (bootstrap fills
it with ``adapters/complaint_letters``): the controller's name and address, the date, the
customer's name and address as the complaints purpose shows them, what they complained of,
the resolution, and their right to refer the complaint on (the type's referral text)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.complaints.case_views import _working_projection as working_projection
from clientkeep.complaints.case_views import details_field, rules_of
from clientkeep.complaints.model import State
from clientkeep.complaints.ports import ComplaintUnitOfWork
from clientkeep.customers.services import load_customer
from clientkeep.customers.views import display_name, name_fields, plain_values
from clientkeep.policy.model import Category, FieldType, Policy, Projection
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import Conflict, NotFound
from clientkeep.shared.uk_time import uk_date
from clientkeep.staff.directory import directory

LETTER_READ = "complaint.final_response_read"
# The kinds of field an address is written with.
ADDRESS_TYPES = frozenset({FieldType.TEXT, FieldType.POSTCODE, FieldType.COUNTRY})


@dataclass(frozen=True, slots=True)
class LetterContext:
    controller_name: str
    controller_address: str
    dated: date
    complaint_id: str
    type_label: str
    received_on: date
    customer_name: str = field(repr=False)
    customer_address: tuple[str, ...] = field(repr=False)
    summary: str = field(repr=False)
    resolution: str = field(repr=False)
    referral: str = ""
    signed_by: str = ""


class LetterRenderer(Protocol):
    def render(self, context: LetterContext) -> str: ...


class NotResolved(Conflict):
    code = "not_resolved"


def address_fields(policy: Policy, projection: Projection) -> tuple[str, ...]:
    """The fields of a postal address the projection shows, in the policy's order: plain
    text, postcodes and countries of personal (not special) category, names left out."""
    names = name_fields(projection)
    return tuple(
        n
        for n, f in policy.fields.items()
        if n in projection.on_record
        and n not in names
        and f.type in ADDRESS_TYPES
        and f.category is Category.PERSONAL
    )


@records_denials(LETTER_READ)
def final_response(
    complaint_id: str,
    *,
    uow: ComplaintUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    renderer: LetterRenderer,
) -> str:
    """The final response letter of a resolved (or closed) case, as plain text; audited
    naming the customer and the fields it shows."""
    rules = rules_of(policy)
    # The letter quotes the complaint's words: only to a role its purpose shows them to.
    projection = working_projection(policy, actor)
    notes = details_field(policy)
    now = clock.now()
    with uow:
        found = uow.complaints.get(complaint_id)
        if found is None:
            raise NotFound("No such complaint.")
        if found.state not in (State.RESOLVED, State.CLOSED) or found.details is None:
            raise NotResolved("The complaint is not resolved yet: there is no final response.")
        customer = load_customer(uow, found.customer_id)
        values = plain_values(customer)
        address = address_fields(policy, projection)
        kind = rules.types.get(found.type)
        people = directory(uow.staff)
        context = LetterContext(
            controller_name=policy.controller.name,
            controller_address=policy.controller.address,
            dated=uk_date(now),
            complaint_id=found.id,
            type_label=kind.label if kind else found.type,
            received_on=uk_date(found.received_at),
            customer_name=display_name(customer, projection),
            customer_address=tuple(values[n] for n in address if values.get(n)),
            summary=found.details.summary,
            resolution=found.details.resolution or "",
            referral=kind.referral if kind else "",
            signed_by=people.label(actor.id),
        )
        shown = sorted({*name_fields(projection), *address, notes})
        uow.audit.append(
            entry_for(
                actor,
                LETTER_READ,
                customer_id=found.customer_id,
                purpose=projection.purpose,
                fields=tuple(shown),
                detail={"complaint_id": found.id},
            )
        )
        uow.commit()
    return renderer.render(context)
