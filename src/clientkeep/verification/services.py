"""Verifying a caller by what they know, and asking whether a caller has been verified.

The answers are compared inside the unit of work and dropped: no answer, stored value or
which-one-was-wrong ever leaves here, in a return value, an error or the audit trail.
Repeated failures for one customer lock its checks for a while, whoever runs them, so
guessing by calling again and reaching another agent does not help.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import Outcome, entry_for
from clientkeep.customers.model import Customer
from clientkeep.customers.services import load_customer
from clientkeep.policy.access import projection_for, purpose_for
from clientkeep.policy.model import Policy, VerificationMethod
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import NotFound, PermissionDenied
from clientkeep.shared.ids import new_id
from clientkeep.staff.directory import directory
from clientkeep.staff.ports import StaffRepository
from clientkeep.verification.answers import count_matches, normalised_answers
from clientkeep.verification.kinds import PURPOSE
from clientkeep.verification.model import (
    Method,
    NotVerified,
    Verification,
    VerificationLocked,
    VerificationRules,
)
from clientkeep.verification.ports import VerificationUnitOfWork
from clientkeep.verification.representative_model import OutsideScope


@dataclass(frozen=True, slots=True)
class KnowledgeCheck:
    answers: Mapping[str, str] = field(default_factory=dict)
    purpose: str = PURPOSE


@dataclass(frozen=True, slots=True)
class CheckResult:
    verified: bool
    verification_id: str | None
    expires_at: datetime | None
    # Attempts left before the customer's checks lock (after a failure; None after a pass).
    attempts_left: int | None


def knowledge_method(policy: Policy) -> VerificationMethod:
    method = policy.verification.get(Method.KNOWLEDGE.value)
    if method is None:
        raise PermissionDenied("The policy declares no knowledge-based check of callers.")
    return method


def require_comparable(
    policy: Policy, actor: Actor, purpose: str, method: VerificationMethod
) -> None:
    projection = projection_for(policy, actor.role, purpose)
    missing = [f for f in method.fields if f not in projection.compared]
    if missing:
        raise PermissionDenied(
            f"The {purpose} purpose does not let your role compare the details this check uses."
        )


def lockout_rules(policy: Policy, method: VerificationMethod) -> VerificationRules:
    """The method's pass lasts its own time; failures lock by the knowledge check's rules
    where the policy declares one, so every method counts toward one lockout per customer."""
    own = VerificationRules.of(method)
    knowledge = policy.verification.get(Method.KNOWLEDGE.value)
    if knowledge is None:
        return own
    shared = VerificationRules.of(knowledge)
    return VerificationRules(
        valid_for=own.valid_for,
        max_failures=shared.max_failures,
        failure_window=shared.failure_window,
    )


def refuse_if_locked(
    uow: VerificationUnitOfWork,
    actor: Actor,
    customer_id: str,
    *,
    rules: VerificationRules,
    now: datetime,
    action: str,
    purpose: str,
    fields: tuple[str, ...],
    method: str,
) -> Sequence[datetime]:
    """The customer's recent failures, inside the caller's unit and under the customer's row
    lock; when they reach the limit, the refusal is audited and committed, and the caller
    gets ``VerificationLocked``."""
    failures = uow.verifications.failures_since(customer_id, now - rules.failure_window)
    if len(failures) >= rules.max_failures:
        retry_at = failures[len(failures) - rules.max_failures] + rules.failure_window
        uow.audit.append(
            entry_for(
                actor,
                action,
                outcome=Outcome.DENIED,
                customer_id=customer_id,
                purpose=purpose,
                fields=fields,
                detail={"method": method, "locked_until": retry_at.isoformat()},
            )
        )
        uow.commit()
        raise VerificationLocked(retry_at)
    return failures


def begin_check(
    uow: VerificationUnitOfWork,
    actor: Actor,
    customer_id: str,
    *,
    rules: VerificationRules,
    now: datetime,
    action: str,
    purpose: str,
    fields: tuple[str, ...],
    method: str,
) -> tuple[Customer, Sequence[datetime]]:
    """Inside the caller's unit: lock and load the customer, then ``refuse_if_locked``. Every
    check and every send starts so, so concurrent checks of one customer take turns."""
    uow.customers.lock([customer_id])
    customer = load_customer(uow, customer_id)
    failures = refuse_if_locked(
        uow,
        actor,
        customer.id,
        rules=rules,
        now=now,
        action=action,
        purpose=purpose,
        fields=fields,
        method=method,
    )
    return customer, failures


@records_denials("customer.verified", customer="customer_id")
def check_knowledge(
    customer_id: str,
    check: KnowledgeCheck,
    *,
    uow: VerificationUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> CheckResult:
    """Compare what the caller stated with the customer's record."""
    method = knowledge_method(policy)
    rules = VerificationRules.of(method)
    require_comparable(policy, actor, check.purpose, method)
    now = clock.now()
    stated = normalised_answers(policy, method, check.answers, today=now.date())
    with uow:
        customer, failures = begin_check(
            uow,
            actor,
            customer_id,
            rules=rules,
            now=now,
            action="customer.verified",
            purpose=check.purpose,
            fields=tuple(sorted(stated)),
            method=method.name,
        )
        passed = count_matches(policy, customer, stated) >= method.min_matches
        done = record_attempt(
            uow,
            actor,
            customer_id=customer.id,
            method=Method.KNOWLEDGE,
            passed=passed,
            stated=tuple(sorted(stated)),
            purpose=check.purpose,
            now=now,
            rules=rules,
            failures=len(failures),
        )
        uow.commit()
    return done


def record_attempt(
    uow: VerificationUnitOfWork,
    actor: Actor,
    *,
    customer_id: str,
    method: Method,
    passed: bool,
    stated: tuple[str, ...],
    purpose: str,
    now: datetime,
    rules: VerificationRules,
    failures: int,
    representative_id: str | None = None,
) -> CheckResult:
    """Record one check and its audit event in the caller's unit (the caller commits): the
    details stated by name, never their values or which of them matched. A check of one of
    the customer's representatives names them (``representative_id``)."""
    verification = Verification(
        id=new_id("ver"),
        customer_id=customer_id,
        staff_id=actor.id,
        method=method,
        passed=passed,
        stated=stated,
        at=now,
        expires_at=now + rules.valid_for if passed else None,
        representative_id=representative_id,
    )
    uow.verifications.add(verification)
    detail: dict[str, str | int | bool | None] = {
        "method": method.value,
        "verification_id": verification.id,
    }
    if representative_id is not None:
        detail["representative_id"] = representative_id
    uow.audit.append(
        entry_for(
            actor,
            "customer.verified",
            outcome=Outcome.SUCCESS if passed else Outcome.FAILED,
            customer_id=customer_id,
            purpose=purpose,
            fields=stated,
            detail=detail,
        )
    )
    return CheckResult(
        verified=passed,
        verification_id=verification.id if passed else None,
        expires_at=verification.expires_at,
        attempts_left=None if passed else max(rules.max_failures - failures - 1, 0),
    )


def require_verified(
    uow: VerificationUnitOfWork,
    verification_id: str | None,
    *,
    customer_id: str,
    actor: Actor,
    now: datetime,
    fields: Collection[str],
    action: str,
) -> Verification:
    """The verification, inside the caller's unit, if it proves this caller to this member of
    staff about this customer now, for doing ``action`` ("disclose" or "update") with
    ``fields``; otherwise ``NotVerified`` saying what to do.

    A verification of a representative proves them only while they are still approved and
    unexpired, and only for the fields and actions of their scope (``OutsideScope`` names
    what is outside it, by field name)."""
    if not verification_id:
        raise NotVerified("Verify the caller first: no verification was given.")
    found = uow.verifications.get(verification_id)
    if found is None or not found.proves(customer_id, actor.id, now):
        # One message for every reason, so an id cannot be probed for whose it is.
        raise NotVerified(
            "That verification does not cover this customer, you, or now: verify the caller again."
        )
    if found.representative_id is not None:
        representative = uow.representatives.get(found.representative_id)
        if (
            representative is None
            or representative.customer_id != customer_id
            or not representative.acts_at(now)
        ):
            raise NotVerified(
                "The representative this verification rests on is no longer approved or their "
                "authority has ended: check their authority again."
            )
        outside, action_outside = representative.outside(fields, action)
        if outside or action_outside:
            raise OutsideScope(outside, action if action_outside else None)
    return found


def latest_proof(
    uow: VerificationUnitOfWork, customer_id: str, actor: Actor, now: datetime
) -> Verification | None:
    """Inside the caller's unit: this member's latest check that still proves the caller."""
    proving = [
        v
        for v in uow.verifications.for_customer(customer_id)
        if v.proves(customer_id, actor.id, now)
    ]
    return max(proving, key=lambda v: (v.at, v.id), default=None)


def proof_scope(
    uow: VerificationUnitOfWork, proof: Verification, now: datetime
) -> frozenset[str] | None:
    """The fields ``proof`` lets the caller be told or have changed: None for the customer
    themselves (their whole record, as the purpose shows it); a representative's scope
    fields while they may act (nothing once their authority has ended or been revoked)."""
    if proof.representative_id is None:
        return None
    representative = uow.representatives.get(proof.representative_id)
    if (
        representative is None
        or representative.customer_id != proof.customer_id
        or not representative.acts_at(now)
    ):
        return frozenset()
    return frozenset(representative.scope_fields)


def current_proof(
    customer_id: str, *, uow: VerificationUnitOfWork, actor: Actor, now: datetime
) -> Verification | None:
    """This member of staff's latest check that still proves the caller about this customer,
    if any: what a screen offers (verified banner, the edit form's "the caller asked"). The use
    case that acts on it checks again. Not audited: it tells the member only what they did."""
    with uow:
        return latest_proof(uow, customer_id, actor, now)


def scope_of(
    proof: Verification, *, uow: VerificationUnitOfWork, now: datetime
) -> frozenset[str] | None:
    """``proof_scope`` in a unit of its own, for a screen deciding what to offer."""
    with uow:
        return proof_scope(uow, proof, now)


def lookup(uow: VerificationUnitOfWork, verification_id: str) -> Verification:
    with uow:
        found = uow.verifications.get(verification_id)
    if found is None:
        raise NotFound("No such verification.")
    return found


@dataclass(frozen=True, slots=True)
class AttemptView:
    """One check as staff read it: who ran it by name and role; never what was said."""

    id: str
    method: str
    verified: bool
    stated: tuple[str, ...]
    at: datetime
    expires_at: datetime | None
    checked_by: str
    checked_by_name: str


class _AttemptsUnitOfWork(VerificationUnitOfWork, Protocol):
    staff: StaffRepository


@records_denials("customer.verifications_read", customer="customer_id")
def attempts(
    customer_id: str,
    *,
    purpose: str = PURPOSE,
    uow: _AttemptsUnitOfWork,
    actor: Actor,
    policy: Policy,
) -> list[AttemptView]:
    """The customer's checks, newest first; audited. Under any purpose the role acts under:
    whether a caller was verified matters on every call, and a check holds no value."""
    purpose_for(policy, actor.role, purpose)
    with uow:
        load_customer(uow, customer_id)
        found = uow.verifications.for_customer(customer_id)
        people = directory(uow.staff)
        uow.audit.append(
            entry_for(
                actor,
                "customer.verifications_read",
                customer_id=customer_id,
                purpose=purpose,
                detail={"attempts": len(found)},
            )
        )
        uow.commit()
    return [
        AttemptView(
            id=v.id,
            method=v.method.value,
            verified=v.passed,
            stated=v.stated,
            at=v.at,
            expires_at=v.expires_at,
            checked_by=v.staff_id,
            checked_by_name=people.label(v.staff_id),
        )
        for v in sorted(found, key=lambda v: (v.at, v.id), reverse=True)
    ]
