"""Failed authentication into the audit trail: tallies per source, not an event per request."""

from __future__ import annotations

from datetime import datetime

from clientkeep.audit.model import AuditEntry, Outcome
from clientkeep.staff.errors import TooManyFailedAttempts
from clientkeep.staff.failed_attempts import FailedAttempts, Tally
from clientkeep.staff.ports import StaffUnitOfWork

FAILED_ACTION = "auth.failed"
# Where no client address is known; the CLI passes its own operator instead.
UNKNOWN_SOURCE = "unknown"


def ledger(failures: FailedAttempts | None) -> FailedAttempts:
    """The shared ledger, or one for this call only: every failure is then recorded at once
    and nothing is refused (the CLI, where one person types at a terminal)."""
    return failures if failures is not None else FailedAttempts(per_minute=1, max_sources=1)


def refuse_if_throttled(failures: FailedAttempts, source: str, kind: str, now: datetime) -> None:
    wait = failures.retry_after(source, kind, now)
    if wait is not None:
        raise TooManyFailedAttempts(wait)


def entry_of(tally: Tally) -> AuditEntry:
    # The typed username is never recorded (people type passwords into the wrong box), nor
    # the token: the source and the counts are what an auditor needs to see an attack.
    detail: dict[str, str | int | bool | None] = {
        "source": tally.source,
        "credential": tally.credential,
        "count": tally.failures,
        "refused": tally.refused,
        "interval_start": tally.since.isoformat(),
        "interval_end": tally.until.isoformat(),
    }
    if tally.reason is not None:
        detail["reason"] = tally.reason
    return AuditEntry(
        action=FAILED_ACTION,
        actor_id="anonymous",
        actor_role="none",
        credential=tally.credential,
        outcome=Outcome.FAILED,
        request_id=tally.request_id,
        detail=detail,
    )


def append(uow: StaffUnitOfWork, tallies: list[Tally]) -> None:
    """Inside the caller's open unit, which commits."""
    for tally in tallies:
        uow.audit.append(entry_of(tally))


def record(uow: StaffUnitOfWork, tallies: list[Tally]) -> None:
    """In a unit of its own, opened only when there is something to write."""
    if not tallies:
        return
    with uow:
        append(uow, tallies)
        uow.commit()
