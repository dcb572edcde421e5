"""Reading one contact as it was logged: what a correction form starts from.

Its notes are shown, so the read is audited naming the customer and the contact-notes field,
under the purpose the contact was logged under (the one its correction is made under).
"""

from __future__ import annotations

from dataclasses import dataclass

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.services import load_customer
from clientkeep.interactions.model import Interaction
from clientkeep.interactions.ports import InteractionUnitOfWork
from clientkeep.interactions.recording import notes_part
from clientkeep.policy.access import projection_for
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import NotFound

ACTION = "interaction.read"


@dataclass(frozen=True, slots=True)
class ContactRead:
    interaction: Interaction
    # Whether a later contact corrects it (a correction is made of the newest version).
    corrected: bool


@records_denials(ACTION, customer="customer_id")
def read_interaction(
    customer_id: str,
    interaction_id: str,
    *,
    uow: InteractionUnitOfWork,
    actor: Actor,
    policy: Policy,
) -> ContactRead:
    """One of the customer's contacts, if the role may see notes under its purpose."""
    with uow:
        load_customer(uow, customer_id)
        found = uow.interactions.get(interaction_id)
        if found is None or found.customer_id != customer_id:
            raise NotFound("No such contact for this customer.")
        part = notes_part(policy, projection_for(policy, actor.role, found.purpose))
        corrected = uow.interactions.is_corrected(found.id)
        uow.audit.append(
            entry_for(
                actor,
                ACTION,
                customer_id=customer_id,
                purpose=found.purpose,
                fields=(part,),
                detail={"interaction_id": found.id},
            )
        )
        uow.commit()
    return ContactRead(interaction=found, corrected=corrected)
