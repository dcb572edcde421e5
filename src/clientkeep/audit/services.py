"""Use cases on the audit trail: verify it and page through it (each read of it itself
audited), and the checks every reading of it makes. The chart of reads is `reads_chart`, the
CSV export `export`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from typing import Protocol

from clientkeep.audit.actions import ACTIONS
from clientkeep.audit.model import (
    MAIN_CHAIN,
    AuditEvent,
    Link,
    Outcome,
    VerifyResult,
    entry_for,
    verify_links,
)
from clientkeep.audit.ports import AuditLog, TrailFilter
from clientkeep.audit.reads_chart import ReadsChart, reads_chart
from clientkeep.audit.trail_window import narrowed, within_times
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import has_prefix
from clientkeep.shared.uow import UnitOfWork

READ_AUDIT = "audit.read"
_ACTION = re.compile(r"[a-z][a-z_]{0,30}(\.[a-z][a-z_]{0,30}){0,2}")
MAX_PAGE = 500
# Actors that are not members of staff but act in the trail (see shared/actor.py).
_NOT_STAFF = frozenset({"system"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?"
)
# Verification reports its progress once per this many events: rarely enough to cost nothing
# beside the hashing.
_VERIFY_PROGRESS_EVERY = 10_000


class AuditUnitOfWork(UnitOfWork, Protocol):
    audit: AuditLog


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """A page of the trail. Newest first: ``before_seq`` asks for older events than a page
    showed, ``after_seq`` for newer ones. ``oldest_first`` walks up from ``after_seq`` instead
    (the API's original order, kept for clients that page that way)."""

    after_seq: int = 0
    before_seq: int | None = None
    limit: int = 50
    customer_id: str | None = None
    actor_id: str | None = None
    action: str | None = None
    outcome: str | None = None
    purpose: str | None = None
    # Dates (a whole UTC day) or date-times (UTC unless they say otherwise), both inclusive.
    since: str | None = None
    until: str | None = None
    oldest_first: bool = False


@dataclass(frozen=True, slots=True)
class AuditPage:
    events: list[AuditEvent]
    # Cursors: ask with before_seq=older for the next older page, after_seq=newer for the
    # next newer one; None when there is none. Oldest first, ``newer`` is the next page.
    older: int | None
    newer: int | None
    chart: ReadsChart | None = None


@dataclass(frozen=True, slots=True)
class CheckedQuery:
    """A query's filters once validated, with its time range turned into instants."""

    where: TrailFilter
    since: datetime | None
    until: datetime | None  # exclusive

    def recorded(self, query: AuditQuery) -> dict[str, str | int | bool | None]:
        # Only well-formed values reach here, so a caller's text never reaches the trail.
        return {
            "action_filter": query.action,
            "actor_filter": query.actor_id,
            "outcome_filter": query.outcome,
            "purpose_filter": query.purpose,
            "from": self.since.isoformat() if self.since else None,
            "to": self.until.isoformat() if self.until else None,
        }


def _instant(text: str, name: str, *, end: bool) -> datetime:
    problem = [
        (name, "Give a date such as 2026-11-23, or a date and time such as 2026-11-23T09:30.")
    ]
    text = text.strip()
    try:
        if _DATE.fullmatch(text):
            day = date.fromisoformat(text)
            # A date is the whole day: "to" a date includes everything on it.
            return datetime.combine(day + timedelta(days=1) if end else day, time(), UTC)
        if not _DATE_TIME.fullmatch(text):
            raise InvalidInput(problem)
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInput(problem) from None
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    return at + timedelta(microseconds=1) if end else at


def check_query(query: AuditQuery, policy: Policy) -> CheckedQuery:
    errors: list[tuple[str, str]] = []
    if not 1 <= query.limit <= MAX_PAGE:
        errors.append(("limit", f"Give a limit from 1 to {MAX_PAGE}."))
    if query.after_seq < 0 or (query.before_seq is not None and query.before_seq < 1):
        errors.append(("cursor", "The cursor is not one this server issued."))
    if query.action is not None and not _ACTION.fullmatch(query.action):
        errors.append(("action", "Give an action such as customer.read."))
    if query.customer_id is not None and not has_prefix(query.customer_id, "cus"):
        errors.append(("customer_id", "Give a customer id such as cus_...."))
    if query.actor_id is not None and not (
        has_prefix(query.actor_id, "stf") or query.actor_id in _NOT_STAFF
    ):
        errors.append(("actor_id", "Choose a member of staff from the list."))
    if query.outcome is not None and query.outcome not in set(Outcome):
        errors.append(("outcome", "Choose an outcome: success, denied or failed."))
    if query.purpose is not None and query.purpose not in policy.purposes:
        errors.append(("purpose", "Choose one of the policy's purposes."))
    since = until = None
    for name, text, end in (("from", query.since, False), ("to", query.until, True)):
        if not text:
            continue
        try:
            found = _instant(text, name, end=end)
        except InvalidInput as bad:
            errors.extend(bad.errors)
            continue
        since, until = (since, found) if end else (found, until)
    if since is not None and until is not None and until <= since:
        errors.append(("to", "Give a time after the one in from."))
    if errors:
        raise InvalidInput(errors)
    where = TrailFilter(
        customer_id=query.customer_id,
        actor_id=query.actor_id,
        action=query.action,
        outcome=query.outcome,
        purpose=query.purpose,
    )
    return CheckedQuery(where=where, since=since, until=until)


def require_reader(actor: Actor, policy: Policy, doing: str = "read") -> None:
    if not policy.has_capability(actor.role, READ_AUDIT):
        raise PermissionDenied(f"The {actor.role} role may not {doing} the audit trail.")


def verify(
    *,
    uow: AuditUnitOfWork,
    chain: str = MAIN_CHAIN,
    on_progress: Callable[[int, int], None] | None = None,
) -> VerifyResult:
    """Rehash every stored event. Read-only: it runs from the CLI, as the system, outside roles.

    A reading unit, so a long verification never holds up a writer. Appends may commit while
    it runs; the chain is checked up to the head read at the start, and events past it are
    accepted only once the head has moved past them. ``on_progress`` is told (events rehashed,
    events up to the head) every few thousand events.
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

        links: Iterable[Link] = uow.audit.links(chain=chain)
        if on_progress is not None:
            links = _reporting(links, head.seq if head else 0, on_progress)
        try:
            result = verify_links(
                links,
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


def _reporting(
    links: Iterable[Link], total: int, on_progress: Callable[[int, int], None]
) -> Iterator[Link]:
    """The links unchanged, saying how many have gone by after each run of them."""
    stream = iter(links)
    done = 0
    while run := list(islice(stream, _VERIFY_PROGRESS_EVERY)):
        yield from run
        done += len(run)
        on_progress(done, max(total, done))


def read_page(
    query: AuditQuery,
    *,
    uow: AuditUnitOfWork,
    actor: Actor,
    policy: Policy,
    chart_until: date | None = None,
) -> AuditPage:
    """A page of matching events, newest first unless asked otherwise; with ``chart_until``
    (today, on the audit page), also the chart of reads up to that day within the filters."""
    require_reader(actor, policy)
    checked = check_query(query, policy)
    with uow.reading():
        where = within_times(uow.audit, checked.where, since=checked.since, until=checked.until)
        page = _page(uow.audit, where, query)
        chart = (
            None
            if chart_until is None
            else reads_chart(
                uow.audit, where, chart_until, since=checked.since, before=checked.until
            )
        )
    page = replace(page, chart=chart)
    # Reading the trail is itself recorded, and committed before the page is shown: who looked,
    # at which customer's events, and with which filters.
    detail = {
        "after_seq": query.after_seq,
        "before_seq": query.before_seq,
        "returned": len(page.events),
        **checked.recorded(query),
        **({"chart_days": len(chart.days)} if chart is not None else {}),
    }
    with uow:
        uow.audit.append(
            entry_for(actor, "audit.read", customer_id=query.customer_id, detail=detail)
        )
        uow.commit()
    return page


def _page(log: AuditLog, where: TrailFilter, query: AuditQuery) -> AuditPage:
    """One page, read by walking positions with a LIMIT, and whether there is more each way.

    One more event than the page is read to tell whether there are more that way; one event
    the other way (next to the cursor, so found at once) tells whether there are more there.
    """
    limit = query.limit
    if query.oldest_first:
        found = log.page(narrowed(where, after=query.after_seq), limit=limit + 1)
        shown = found[:limit]
        return AuditPage(shown, older=None, newer=shown[-1].seq if len(found) > limit else None)
    if query.before_seq is not None:
        found = log.page(
            narrowed(where, before=query.before_seq), limit=limit + 1, newest_first=True
        )
        shown = found[:limit]
        newer = log.page(narrowed(where, after=query.before_seq - 1), limit=1)
        return AuditPage(
            shown,
            older=shown[-1].seq if len(found) > limit else None,
            newer=(shown[0].seq if shown else query.before_seq - 1) if newer else None,
        )
    if query.after_seq > 0:
        found = log.page(narrowed(where, after=query.after_seq), limit=limit + 1)
        shown = list(reversed(found[:limit]))
        older = log.page(narrowed(where, before=query.after_seq + 1), limit=1, newest_first=True)
        return AuditPage(
            shown,
            older=(shown[-1].seq if shown else query.after_seq + 1) if older else None,
            newer=shown[0].seq if len(found) > limit else None,
        )
    found = log.page(where, limit=limit + 1, newest_first=True)
    shown = found[:limit]
    return AuditPage(shown, older=shown[-1].seq if len(found) > limit else None, newer=None)


def action_choices() -> list[tuple[str, str]]:
    """(action, plain-language name) for every action the trail records, by name."""
    return sorted(ACTIONS.items(), key=lambda item: item[1])


def verify_as(actor: Actor, *, uow: AuditUnitOfWork, policy: Policy) -> VerifyResult:
    """Verification asked for by a member of staff, recorded with its result."""
    require_reader(actor, policy, "verify")
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
