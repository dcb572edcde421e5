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
from datetime import datetime
from typing import Protocol

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.services import load_customer
from clientkeep.customers.views import CustomerView, HistoryEntry, history_entry, view_of
from clientkeep.policy.access import projection_for, purpose_for
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput
from clientkeep.staff.directory import directory
from clientkeep.staff.ports import StaffRepository
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


def _check_reveal(reveal: str | None) -> None:
    if reveal is not None and reveal not in REVEAL_REASONS:
        raise InvalidInput(
            [("reason", "Choose why you need the details: " + "; ".join(REVEAL_REASONS.values()))]
        )


def _hidden_now(
    uow: VerificationUnitOfWork,
    customer_id: str,
    purpose: str,
    hideable: list[str],
    reveal: str | None,
    actor: Actor,
    now: datetime,
    *,
    policy_masks: AbstractSet[str],
) -> tuple[list[str], Verification | None, str | None]:
    """Inside the caller's unit: which of ``hideable`` stay hidden now, the proof that decided
    it and the reveal taken (recorded here as ``customer.revealed``). Hidden until this member
    has verified the caller; a representative on the line sees only their scope; a reveal is
    taken only with nobody verified, and only where something would be hidden."""
    # Looked up wherever the purpose masks anything, so the screen can say who is verified.
    masks = bool(policy_masks)
    proof = latest_proof(uow, customer_id, actor, now) if masks else None
    revealed = reveal if hideable and proof is None else None
    if proof is not None:
        scope = proof_scope(uow, proof, now)
        return ([] if scope is None else [n for n in hideable if n not in scope]), proof, None
    if revealed is None:
        return hideable, None, None
    uow.audit.append(
        entry_for(
            actor,
            REVEALED,
            customer_id=customer_id,
            purpose=purpose,
            fields=tuple(hideable),
            detail={"reason": revealed},
        )
    )
    return [], None, revealed


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
    _check_reveal(reveal)
    now = clock.now()
    with uow:
        customer = load_customer(uow, customer_id)
        full = view_of(customer, policy=policy, role=actor.role, purpose=chosen.name, now=now)
        hideable = [n for n in full.fields if n in chosen.masked_until_verified]
        hidden, proof, revealed = _hidden_now(
            uow,
            customer.id,
            chosen.name,
            hideable,
            reveal,
            actor,
            now,
            policy_masks=chosen.masked_until_verified,
        )
        view = cut(full, frozenset(hidden), policy)
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


@dataclass(frozen=True, slots=True)
class CallerHistory:
    """The changes a caller-facing screen's History tab may list now."""

    # Newest first; none of a field hidden until the caller is verified.
    entries: list[HistoryEntry]
    # The fields whose changes are left out, as (name, label), in policy order.
    hidden: tuple[tuple[str, str], ...]
    proof: Verification | None
    revealed: str | None = None


class _HistoryUnitOfWork(VerificationUnitOfWork, Protocol):
    staff: StaffRepository


@records_denials("customer.history_read", customer="customer_id")
def history_for_caller(
    customer_id: str,
    *,
    purpose: str,
    reveal: str | None = None,
    uow: _HistoryUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> CallerHistory:
    """The record's history as ``customers.history`` cuts it, less the changes of fields the
    purpose hides until this member has verified the caller (their old and new values are the
    very details the Details tab hides), by the rules of ``read_for_caller``: a
    representative's check unhides their scope; ``reveal`` shows all, recorded as
    ``customer.revealed``. Audited by the fields whose changes are listed."""
    chosen = purpose_for(policy, actor.role, purpose)
    projection = projection_for(policy, actor.role, chosen.name)
    _check_reveal(reveal)
    now = clock.now()
    with uow:
        load_customer(uow, customer_id)
        changes = [c for c in uow.history.for_customer(customer_id) if projection.shows(c.field)]
        held = {c.field for c in changes}
        hideable = [n for n in policy.fields if n in held and n in chosen.masked_until_verified]
        hidden, proof, revealed = _hidden_now(
            uow,
            customer_id,
            chosen.name,
            hideable,
            reveal,
            actor,
            now,
            policy_masks=chosen.masked_until_verified,
        )
        listed = [c for c in changes if c.field not in hidden]
        people = directory(uow.staff)
        uow.audit.append(
            entry_for(
                actor,
                "customer.history_read",
                customer_id=customer_id,
                purpose=chosen.name,
                fields=tuple(sorted({c.field for c in listed})),
            )
        )
        uow.commit()
    return CallerHistory(
        entries=[
            history_entry(c, policy, people.label(c.changed_by))
            for c in sorted(listed, key=lambda c: (c.changed_at, c.id), reverse=True)
        ],
        hidden=tuple((n, policy.fields[n].label) for n in hidden),
        proof=proof,
        revealed=revealed,
    )
