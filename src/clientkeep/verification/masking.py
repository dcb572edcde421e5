"""A customer's record on a screen staff take calls from: some details hidden until the caller
is verified.

Under a caller-facing purpose (one whose policy lists ``masked_until_verified``), the fields it
lists stay out of the view until this member of staff has a check that still proves the
caller, so nobody is told them by someone reading them off the screen before they prove who
they are. Staff working a record away from the phone (returned post, a letter) may see them by
saying so, with a reason from a fixed list; that is recorded as ``customer.revealed``, the
reason as its code, never words typed that could hold personal data.

The read is recorded here, not by ``customers.read``: its event names only the fields the
screen shows, so the trail never claims a hidden value was seen, nor misses a revealed one.
The API's read of a customer does not mask: its clients are systems, not staff on a call.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.services import load_customer
from clientkeep.customers.views import CustomerView, view_of
from clientkeep.policy.access import purpose_for
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput
from clientkeep.verification.model import Verification
from clientkeep.verification.ports import VerificationUnitOfWork
from clientkeep.verification.services import latest_proof, proof_scope

# Why a member of staff needs the details without a caller to verify: a code each, so the
# audit trail holds no words that could describe the customer.
REVEAL_REASONS: dict[str, str] = {
    "returned_post": "Returned post",
    "letter_or_email": "A letter or email received",
    "back_office_correction": "A back-office correction",
    "other": "Other work away from the phone",
}
REVEALED = "customer.revealed"


@dataclass(frozen=True, slots=True)
class CallerView:
    """What a caller-facing screen may show now, and why the rest is hidden."""

    view: CustomerView  # the hidden fields are not in it at all
    # The fields held that are hidden until the caller is verified, as (name, label), in
    # policy order; empty when nothing is hidden.
    hidden: tuple[tuple[str, str], ...]
    # This member's check that still proves the caller, where the purpose masks anything.
    proof: Verification | None
    # The reason's code when the member said they are not speaking to the customer.
    revealed: str | None = None


def masked_fields(policy: Policy, purpose: str) -> frozenset[str]:
    """The fields ``purpose`` hides until the caller is verified (none for most purposes)."""
    return policy.purpose(purpose).masked_until_verified


def cut(view: CustomerView, hidden: AbstractSet[str], policy: Policy) -> CustomerView:
    """``view`` without the ``hidden`` fields, its name built from no hidden field."""
    if not hidden & set(view.fields):
        return view
    fields = {n: f for n, f in view.fields.items() if n not in hidden}
    reference = view.reference if view.reference and view.reference.name in fields else None
    parts = policy.field_roles
    names = {parts.given_name, parts.family_name, parts.preferred_name} - {None}
    name = view.id if names & hidden & set(view.fields) else view.display_name
    return replace(view, fields=fields, reference=reference, display_name=name)


@records_denials("customer.read", customer="customer_id")
def read_for_caller(
    customer_id: str,
    *,
    purpose: str,
    reveal: str | None = None,
    uow: VerificationUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> CallerView:
    """The record as ``customers.read`` cuts it, less the fields the purpose hides until this
    member has verified the caller; ``reveal`` (a code of ``REVEAL_REASONS``) shows them for
    this one view, recorded as ``customer.revealed``. Audited by the fields shown."""
    chosen = purpose_for(policy, actor.role, purpose)
    if reveal is not None and reveal not in REVEAL_REASONS:
        raise InvalidInput(
            [("reason", "Choose why you need the details: " + "; ".join(REVEAL_REASONS.values()))]
        )
    now = clock.now()
    with uow:
        customer = load_customer(uow, customer_id)
        full = view_of(customer, policy=policy, role=actor.role, purpose=chosen.name, now=now)
        hideable = [n for n in full.fields if n in chosen.masked_until_verified]
        proof = latest_proof(uow, customer.id, actor, now) if chosen.masked_until_verified else None
        revealed = reveal if hideable and proof is None else None
        if proof is None:
            hidden = hideable if revealed is None else []
        else:
            # A representative on the line sees only their scope: the rest stays hidden.
            scope = proof_scope(uow, proof, now)
            hidden = [] if scope is None else [n for n in hideable if n not in scope]
        view = cut(full, frozenset(hidden), policy)
        if revealed is not None:
            uow.audit.append(
                entry_for(
                    actor,
                    REVEALED,
                    customer_id=customer.id,
                    purpose=chosen.name,
                    fields=tuple(hideable),
                    detail={"reason": revealed},
                )
            )
        uow.audit.append(
            entry_for(
                actor,
                "customer.read",
                customer_id=customer.id,
                purpose=chosen.name,
                fields=tuple(view.fields),
            )
        )
        uow.commit()
    return CallerView(
        view=view,
        hidden=tuple((n, full.fields[n].label) for n in hidden),
        proof=proof,
        revealed=revealed,
    )
