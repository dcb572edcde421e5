"""A customer's authorised representatives: recording one, listing them, deciding on one, and
verifying a caller who says they are one.

A representative is recorded as pending, with the authority staff saw, its scope (the fields
they may be told or have changed, and which of those actions) and their own answers for
verifying them (normalised as the fields are on entry, sealed, never returned, logged or
shown). A member holding ``disclosures.approve`` who did not record them approves or refuses
them, with a reason; an approved one may be revoked. Only an approved, unexpired representative
of the customer can be verified, with their own answers: the customer's do not do. Failures
count toward the customer's one lockout, by the knowledge check's rules.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers.services import load_customer
from clientkeep.policy.access import projection_for, purpose_for, require_capability
from clientkeep.policy.model import Policy, VerificationMethod
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from clientkeep.shared.ids import new_id
from clientkeep.staff.directory import directory
from clientkeep.staff.ports import StaffRepository
from clientkeep.verification.answers import answer_names, normalised_answers
from clientkeep.verification.kinds import PURPOSE
from clientkeep.verification.model import Method, VerificationRules
from clientkeep.verification.ports import VerificationUnitOfWork
from clientkeep.verification.representative_model import (
    AUTHORITIES,
    DECISIONS,
    SCOPE_ACTIONS,
    TRANSITIONS,
    Authority,
    Decision,
    FourEyes,
    Representative,
    Status,
)
from clientkeep.verification.services import (
    CheckResult,
    begin_check,
    knowledge_method,
    record_attempt,
    require_comparable,
)

CAPABILITY = "disclosures.approve"
NAME_MAX = 200
RELATIONSHIP_MAX = 100
REFERENCE_MAX = 100
EVIDENCE_MAX = 500
REASON_MAX = 500
SCOPE_MAX = 50


def representative_method(policy: Policy) -> VerificationMethod:
    """The knowledge check's rules with only the answers that make sense for a person other
    than the customer: their date of birth, their postcode, the last four of their phone. The
    customer's reference is the customer's, never the representative's."""
    knowledge = knowledge_method(policy)
    roles = policy.field_roles
    own = {roles.date_of_birth, roles.postcode, roles.phone}
    return replace(
        knowledge,
        name=Method.REPRESENTATIVE.value,
        fields=tuple(f for f in knowledge.fields if f in own),
    )


def representative_answer_names(policy: Policy) -> tuple[str, ...]:
    """The answers a representative gives about themselves (a screen's form asks for these)."""
    return answer_names(policy, representative_method(policy))


def end_of(day: date) -> datetime:
    """An authority that lasts until ``day`` ends at the start of the next day, UTC."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UTC)


def last_day(expires_at: datetime | None) -> date | None:
    return None if expires_at is None else (expires_at - timedelta(days=1)).date()


@dataclass(frozen=True, slots=True)
class RecordRepresentative:
    name: str
    relationship: str
    authority: str
    reference: str
    evidence_seen: str
    scope_fields: Sequence[str]
    scope_actions: Sequence[str]
    # The representative's own answers, by answer name, typed as they said them.
    answers: Mapping[str, str] = field(repr=False)
    # The last day the authority lasts; None while it lasts.
    expires_on: date | None = None
    # None: the policy's default purpose.
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class Recorded:
    representative_id: str
    status: str


def _text(
    errors: list[tuple[str, str]], name: str, value: str, limit: int, *, required: bool, say: str
) -> str:
    text = value.strip()
    if required and not text:
        errors.append((name, say))
    elif len(text) > limit or (text and not text.isprintable()):
        errors.append((name, f"At most {limit} visible characters on one line."))
    return text


def _names(
    errors: list[tuple[str, str]],
    where: str,
    given: Sequence[str],
    allowed: frozenset[str] | tuple[str, ...],
    *,
    empty: str,
    outside: str,
) -> tuple[str, ...]:
    names = list(given)
    if not names:
        errors.append((where, empty))
    if len(names) > SCOPE_MAX:
        errors.append((where, f"At most {SCOPE_MAX}."))
    seen: set[str] = set()
    for i, name in enumerate(names):
        if name in seen:
            errors.append((f"{where}.{i}", "This is given twice."))
        elif name not in allowed:
            errors.append((f"{where}.{i}", outside))
        seen.add(name)
    return tuple(names)


def _checked(
    policy: Policy, role: str, command: RecordRepresentative, today: date
) -> tuple[str, Representative]:
    """The purpose and a representative without id, customer or times, or every fault."""
    projection = projection_for(policy, role, command.purpose or policy.default_purpose)
    errors: list[tuple[str, str]] = []
    name = _text(errors, "name", command.name, NAME_MAX, required=True, say="Give their name.")
    relationship = _text(
        errors,
        "relationship",
        command.relationship,
        RELATIONSHIP_MAX,
        required=True,
        say="Say how they are related to the customer (for example: daughter).",
    )
    reference = _text(errors, "reference", command.reference, REFERENCE_MAX, required=False, say="")
    evidence = _text(
        errors,
        "evidence_seen",
        command.evidence_seen,
        EVIDENCE_MAX,
        required=True,
        say="Say which document you saw (for example: the registered LPA, certified copy).",
    )
    if command.authority not in AUTHORITIES:
        errors.append(("authority", f"Choose one of: {', '.join(AUTHORITIES)}."))
    # One message for unknown, compare-only and hidden fields, as a disclosure says.
    fields = _names(
        errors,
        "scope.fields",
        command.scope_fields,
        projection.on_record,
        empty="Choose at least one detail they may be told or change.",
        outside=f"The {projection.purpose} purpose does not show you this detail.",
    )
    actions = _names(
        errors,
        "scope.actions",
        command.scope_actions,
        SCOPE_ACTIONS,
        empty="Choose what they may do: disclose, update or both.",
        outside=f"Choose from: {', '.join(SCOPE_ACTIONS)}.",
    )
    if command.expires_on is not None and command.expires_on < today:
        errors.append(("expires_on", "The authority has already ended: give a day from today."))
    answers: dict[str, str] = {}
    try:
        answers = normalised_answers(
            policy, representative_method(policy), command.answers, today=today
        )
    except InvalidInput as bad:
        errors.extend(
            (f if f == "answers" else f"answers.{f}", message) for f, message in bad.errors
        )
    if errors:
        raise InvalidInput(errors)
    return projection.purpose, Representative(
        id="",
        customer_id="",
        authority=Authority(command.authority),
        scope_fields=fields,
        scope_actions=actions,
        expires_at=None if command.expires_on is None else end_of(command.expires_on),
        status=Status.PENDING,
        created_by="",
        created_at=datetime.min.replace(tzinfo=UTC),
        purpose=projection.purpose,
        name=name,
        relationship=relationship,
        reference=reference,
        evidence_seen=evidence,
        answers=answers,
    )


@records_denials("customer.representative_recorded", customer="customer_id")
def record_representative(
    customer_id: str,
    command: RecordRepresentative,
    *,
    uow: VerificationUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> Recorded:
    """Record a representative as pending; audited with their authority and scope by name."""
    now = clock.now()
    purpose, draft = _checked(policy, actor.role, command, now.date())
    with uow:
        uow.customers.lock([customer_id])
        customer = load_customer(uow, customer_id)
        made = replace(
            draft,
            id=new_id("rep"),
            customer_id=customer.id,
            created_by=actor.id,
            created_at=now,
        )
        uow.representatives.add(made)
        uow.audit.append(
            entry_for(
                actor,
                "customer.representative_recorded",
                customer_id=customer.id,
                purpose=purpose,
                detail={
                    "representative_id": made.id,
                    "authority": made.authority.value,
                    "scope_fields": ",".join(made.scope_fields),
                    "scope_actions": ",".join(made.scope_actions),
                    "status": made.status.value,
                },
            )
        )
        uow.commit()
    return Recorded(representative_id=made.id, status=made.status.value)


@dataclass(frozen=True, slots=True)
class RepresentativeView:
    """One representative as staff read them: never their answers."""

    id: str
    name: str = field(repr=False)
    relationship: str = field(repr=False)
    authority: str
    reference: str = field(repr=False)
    evidence_seen: str = field(repr=False)
    scope_fields: tuple[str, ...]
    scope_actions: tuple[str, ...]
    expires_on: date | None
    expired: bool
    status: str
    # Whether they may be verified and acted for now: approved and not expired.
    acts_now: bool
    purpose: str
    recorded_by: str
    recorded_by_name: str
    recorded_at: datetime
    decided_by: str | None
    decided_by_name: str | None
    decided_at: datetime | None
    decision_reason: str | None = field(repr=False)


class _ListUnitOfWork(VerificationUnitOfWork, Protocol):
    staff: StaffRepository


@records_denials("customer.representatives_read", customer="customer_id")
def representatives(
    customer_id: str,
    *,
    purpose: str,
    uow: _ListUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> list[RepresentativeView]:
    """The customer's representatives, newest first; audited. They hold no value of the
    customer's fields, so any purpose the role acts under lists them."""
    projection = projection_for(policy, actor.role, purpose)
    now = clock.now()
    with uow:
        load_customer(uow, customer_id)
        found = uow.representatives.for_customer(customer_id)
        people = directory(uow.staff)
        uow.audit.append(
            entry_for(
                actor,
                "customer.representatives_read",
                customer_id=customer_id,
                purpose=projection.purpose,
                detail={"representatives": len(found)},
            )
        )
        uow.commit()
    return [
        RepresentativeView(
            id=r.id,
            name=r.name,
            relationship=r.relationship,
            authority=r.authority.value,
            reference=r.reference,
            evidence_seen=r.evidence_seen,
            scope_fields=r.scope_fields,
            scope_actions=r.scope_actions,
            expires_on=last_day(r.expires_at),
            expired=r.expired(now),
            status=r.status.value,
            acts_now=r.acts_at(now),
            purpose=r.purpose,
            recorded_by=r.created_by,
            recorded_by_name=people.label(r.created_by),
            recorded_at=r.created_at,
            decided_by=r.decided_by,
            decided_by_name=None if r.decided_by is None else people.label(r.decided_by),
            decided_at=r.decided_at,
            decision_reason=r.decision_reason,
        )
        for r in sorted(found, key=lambda r: (r.created_at, r.id), reverse=True)
    ]


@dataclass(frozen=True, slots=True)
class Decide:
    decision: str
    reason: str = field(repr=False)


def _decision(command: Decide) -> tuple[Decision, str]:
    errors: list[tuple[str, str]] = []
    if command.decision not in DECISIONS:
        errors.append(("decision", f"Choose one of: {', '.join(DECISIONS)}."))
    reason = _text(
        errors, "reason", command.reason, REASON_MAX, required=True, say="Give the reason."
    )
    if errors:
        raise InvalidInput(errors)
    return Decision(command.decision), reason


@records_denials("customer.representative_decided", customer="customer_id")
def decide(
    customer_id: str,
    representative_id: str,
    command: Decide,
    *,
    uow: VerificationUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> Recorded:
    """Approve or refuse a pending representative, or revoke an approved one, with a reason.

    Needs ``disclosures.approve``; nobody approves a representative they recorded (four
    eyes). Audited with the decision; the reason is sealed with the representative."""
    require_capability(policy, actor.role, CAPABILITY, "decide on a customer's representatives")
    decision, reason = _decision(command)
    now = clock.now()
    with uow:
        uow.customers.lock([customer_id])
        customer = load_customer(uow, customer_id)
        found = uow.representatives.get(representative_id)
        if found is None or found.customer_id != customer.id:
            raise NotFound("No such representative of this customer.")
        purpose_for(policy, actor.role, found.purpose)
        source, target = TRANSITIONS[decision]
        if found.status is not source:
            raise Conflict(
                f"Only a {source.value} representative can be given the decision "
                f"{decision.value!r}; this one is {found.status.value}."
            )
        if decision is Decision.APPROVE:
            if found.created_by == actor.id:
                raise FourEyes(
                    "You recorded this representative: another member of staff must approve them."
                )
            if found.expired(now):
                raise Conflict("Their authority has already ended: it cannot be approved.")
        decided = replace(
            found, status=target, decided_by=actor.id, decided_at=now, decision_reason=reason
        )
        uow.representatives.decide(decided)
        uow.audit.append(
            entry_for(
                actor,
                "customer.representative_decided",
                customer_id=customer.id,
                purpose=found.purpose,
                detail={
                    "representative_id": found.id,
                    "decision": decision.value,
                    "status": target.value,
                },
            )
        )
        uow.commit()
    return Recorded(representative_id=found.id, status=target.value)


@dataclass(frozen=True, slots=True)
class RepresentativeCheck:
    representative_id: str
    answers: Mapping[str, str] = field(repr=False, default_factory=dict)
    purpose: str = PURPOSE


class NotActing(PermissionDenied):
    """The representative is not approved now (pending, refused, revoked or expired)."""

    code = "representative_not_approved"


def _digest(text: str) -> bytes:
    # Equal-length inputs, so the comparison's time does not depend on the held value's length.
    return hashlib.sha256(text.encode()).digest()


def _matches(stated: Mapping[str, str], held: Mapping[str, str]) -> int:
    """How many stated answers equal the representative's own; each is compared, in constant
    time, even when they gave none for it, so neither timing nor count says which was wrong."""
    matches = 0
    for answer, said in stated.items():
        kept = held.get(answer)
        same = hmac.compare_digest(_digest(said), _digest(kept if kept is not None else "\0"))
        matches += int(same and kept is not None)
    return matches


@records_denials("customer.verified", customer="customer_id")
def check_representative(
    customer_id: str,
    check: RepresentativeCheck,
    *,
    uow: VerificationUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> CheckResult:
    """Compare what a caller stated with the answers of the customer's representative they say
    they are. Only an approved, unexpired representative of this customer can pass; a pass
    proves the caller to be that representative, within their scope."""
    method = representative_method(policy)
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
        found = uow.representatives.get(check.representative_id)
        if found is None or found.customer_id != customer.id:
            raise NotFound("No such representative of this customer.")
        if not found.acts_at(now):
            state = "their authority has ended" if found.expired(now) else found.status.value
            raise NotActing(
                f"This representative cannot be verified: {state}. Only an approved "
                "representative whose authority lasts can be."
            )
        passed = _matches(stated, found.answers) >= method.min_matches
        done = record_attempt(
            uow,
            actor,
            customer_id=customer.id,
            method=Method.REPRESENTATIVE,
            passed=passed,
            stated=tuple(sorted(stated)),
            purpose=check.purpose,
            now=now,
            rules=rules,
            failures=len(failures),
            representative_id=found.id,
        )
        uow.commit()
    return done
