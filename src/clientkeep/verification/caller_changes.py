"""A change the caller asks for: made only on a verification that proves this caller to this
member of staff about this customer now (and, for a representative, covers the fields changed
and the action "update"), checked inside the change's own unit, under the customer's lock.

Customer records make the change and never import verification: they take the check as a
``CallerCheck`` (``customers.ports``), which this module builds from ``require_verified``.
The change's audit event names the verification; a refusal writes nothing but the denied
event.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from clientkeep.customers import services as customers
from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.customers.views import CustomerView
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.verification.ports import VerificationUnitOfWork
from clientkeep.verification.services import require_verified

# What a change is, in a representative's scope.
ACTION = "update"


def update_for_caller(
    customer_id: str,
    cmd: customers.UpdateCustomer,
    verification_id: str | None,
    *,
    uow: VerificationUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> CustomerView:
    """Correct the record as the caller asked, on ``verification_id``. Refusals (no
    verification, another customer's, another member's, an expired one, a representative
    acting outside their scope) are recorded as a denied ``customer.updated``."""

    def check(
        unit: CustomerUnitOfWork, checked_id: str, fields: frozenset[str], now: datetime
    ) -> str:
        # ``unit`` is ``uow`` itself, seen as customer records see it: the check reads the
        # verification in the change's own transaction, under the customer's lock.
        proof = require_verified(
            uow,
            verification_id,
            customer_id=checked_id,
            actor=actor,
            now=now,
            fields=sorted(fields),
            action=ACTION,
        )
        return proof.id

    return customers.update(
        customer_id,
        replace(cmd, on_behalf_of_customer=True),
        uow=uow,
        actor=actor,
        policy=policy,
        clock=clock,
        caller=check,
    )
