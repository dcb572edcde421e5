"""Use cases on the audit trail: verify it, and page through it (itself an audited read)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol

from clientkeep.audit.model import (
    MAIN_CHAIN,
    AuditEvent,
    Outcome,
    VerifyResult,
    entry_for,
    verify_links,
)
from clientkeep.audit.ports import AuditLog
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import has_prefix
from clientkeep.shared.uow import UnitOfWork

READ_AUDIT = "audit.read"
_ACTION = re.compile(r"[a-z][a-z_]{0,30}(\.[a-z][a-z_]{0,30}){0,2}")
MAX_PAGE = 500


class AuditUnitOfWork(UnitOfWork, Protocol):
    audit: AuditLog


@dataclass(frozen=True, slots=True)
class AuditQuery:
    after_seq: int = 0
    limit: int = 50
    customer_id: str | None = None
    action: str | None = None


@dataclass(frozen=True, slots=True)
class AuditPage:
    events: list[AuditEvent]
    next_after_seq: int | None


def verify(*, uow: AuditUnitOfWork, chain: str = MAIN_CHAIN) -> VerifyResult:
    """Rehash every stored event. Read-only: it runs from the CLI, as the system, outside roles.

    A reading unit, so a long verification never holds up a writer. Appends may commit while
    it runs; the chain is checked up to the head read at the start, and events past it are
    accepted only once the head has moved past them.
    """
    with uow.reading():
        # Before the head: a checkpoint is written after its head commits, so one read first
        # is never newer than the head read after it.
        checkpoint = uow.audit.checkpoint(chain=chain)
        head = uow.audit.head(chain=chain)
        copies_answer = uow.audit.begin_copy_check(chain=chain)

        def later_head() -> int:
            moved = uow.audit.head(chain=chain)
            return moved.seq if moved is not None and moved.authentic else 0

        try:
            result = verify_links(
                uow.audit.links(chain=chain),
                head=(head.seq, head.hash) if head else None,
                head_authentic=head.authentic if head else True,
                later_head=later_head,
                checkpoint=(checkpoint.seq, checkpoint.hash) if checkpoint else None,
                checkpoint_authentic=checkpoint.authentic if checkpoint else True,
            )
        finally:
            # Waited for whatever the chain showed: the check must not outlive the unit.
            bad = copies_answer()
        if not result.ok:
            return result
        if bad is not None:
            return replace(
                result,
                ok=False,
                first_bad_seq=bad,
                problem="the event's searchable copy differs from what its hash covers",
            )
        return result


def read_page(
    query: AuditQuery, *, uow: AuditUnitOfWork, actor: Actor, policy: Policy
) -> AuditPage:
    if not policy.has_capability(actor.role, READ_AUDIT):
        raise PermissionDenied(f"The {actor.role} role may not read the audit trail.")
    if not 1 <= query.limit <= MAX_PAGE:
        raise InvalidInput([("limit", f"Give a limit from 1 to {MAX_PAGE}.")])
    if query.after_seq < 0:
        raise InvalidInput([("cursor", "The cursor is not one this server issued.")])
    # Both filters are written into the audit.read event: only well-formed ones, so a
    # caller's text (a NUL, a name) never reaches the trail.
    if query.action is not None and not _ACTION.fullmatch(query.action):
        raise InvalidInput([("action", "Give an action such as customer.read.")])
    if query.customer_id is not None and not has_prefix(query.customer_id, "cus"):
        raise InvalidInput([("customer_id", "Give a customer id such as cus_....")])
    with uow.reading():
        events = uow.audit.page(
            after_seq=query.after_seq,
            limit=query.limit + 1,
            customer_id=query.customer_id,
            action=query.action,
        )
    more = len(events) > query.limit
    events = events[: query.limit]
    # Reading the trail is itself recorded, and committed before the page is shown: who looked,
    # and at which customer's events.
    with uow:
        uow.audit.append(
            entry_for(
                actor,
                "audit.read",
                customer_id=query.customer_id,
                detail={
                    "after_seq": query.after_seq,
                    "returned": len(events),
                    "action_filter": query.action,
                },
            )
        )
        uow.commit()
    return AuditPage(events=events, next_after_seq=events[-1].seq if more else None)


def verify_as(actor: Actor, *, uow: AuditUnitOfWork, policy: Policy) -> VerifyResult:
    """Verification asked for by a member of staff, recorded with its result."""
    if not policy.has_capability(actor.role, READ_AUDIT):
        raise PermissionDenied(f"The {actor.role} role may not verify the audit trail.")
    result = verify(uow=uow)
    with uow:
        uow.audit.append(
            entry_for(
                actor,
                "audit.verified",
                outcome=Outcome.SUCCESS if result.ok else Outcome.FAILED,
                detail={"count": result.count, "first_bad_seq": result.first_bad_seq},
            )
        )
        uow.commit()
    return result
