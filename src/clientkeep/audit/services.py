"""Use cases on the audit trail: verify it, page through it, chart it and export it (each read
of it itself audited)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from clientkeep.audit.actions import ACTIONS, READS, action_name
from clientkeep.audit.model import (
    MAIN_CHAIN,
    AuditEvent,
    Outcome,
    VerifyResult,
    entry_for,
    verify_links,
)
from clientkeep.audit.ports import AuditLog, TrailFilter
from clientkeep.audit.via import via
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.shared.ids import has_prefix
from clientkeep.shared.uow import UnitOfWork

READ_AUDIT = "audit.read"
_ACTION = re.compile(r"[a-z][a-z_]{0,30}(\.[a-z][a-z_]{0,30}){0,2}")
MAX_PAGE = 500
CHART_DAYS = 14
# Actors that are not members of staff but act in the trail (see shared/actor.py).
_NOT_STAFF = frozenset({"system"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?"
)
_EXPORT_BATCH = 500


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
class ReadsChart:
    """Reads of customers (records, histories, searches) per member of staff per UTC day."""

    days: tuple[date, ...]
    # actor id -> one count per day, in the order of ``days``.
    counts: dict[str, tuple[int, ...]]

    @property
    def most(self) -> int:
        return max((n for row in self.counts.values() for n in row), default=0)


@dataclass(frozen=True, slots=True)
class AuditPage:
    events: list[AuditEvent]
    # Cursors: ask with before_seq=older for the next older page, after_seq=newer for the
    # next newer one; None when there is none. Oldest first, ``newer`` is the next page.
    older: int | None
    newer: int | None
    chart: ReadsChart | None = None


@dataclass(frozen=True, slots=True)
class AuditExport:
    count: int
    # CSV text, a line at a time, read from storage in batches as it is consumed.
    lines: Iterator[str] = field(repr=False)


@dataclass(frozen=True, slots=True)
class _Checked:
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


def _checked(query: AuditQuery, policy: Policy) -> _Checked:
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
    return _Checked(where=where, since=since, until=until)


def _allowed(actor: Actor, policy: Policy, doing: str = "read") -> None:
    if not policy.has_capability(actor.role, READ_AUDIT):
        raise PermissionDenied(f"The {actor.role} role may not {doing} the audit trail.")


def _window(log: AuditLog, checked: _Checked) -> TrailFilter:
    """The filter bounded to the positions of its time range: a few lookups by key."""
    where = checked.where
    if checked.since is not None:
        where = replace(where, after_seq=log.first_seq_at(checked.since) - 1)
    if checked.until is not None:
        where = replace(where, before_seq=log.first_seq_at(checked.until))
    return where


def _narrowed(where: TrailFilter, *, after: int = 0, before: int | None = None) -> TrailFilter:
    """``where`` narrowed to after ``after`` and before ``before`` as well."""
    ends = [b for b in (where.before_seq, before) if b is not None]
    return replace(
        where, after_seq=max(where.after_seq, after), before_seq=min(ends) if ends else None
    )


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
    query: AuditQuery,
    *,
    uow: AuditUnitOfWork,
    actor: Actor,
    policy: Policy,
    chart_until: date | None = None,
) -> AuditPage:
    """A page of matching events, newest first unless asked otherwise; with ``chart_until``
    (today, on the audit page), also the chart of reads up to that day within the filters."""
    _allowed(actor, policy)
    checked = _checked(query, policy)
    with uow.reading():
        where = _window(uow.audit, checked)
        page = _page(uow.audit, where, query)
        chart = None if chart_until is None else _chart(uow.audit, checked, where, chart_until)
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
        found = log.page(_narrowed(where, after=query.after_seq), limit=limit + 1)
        shown = found[:limit]
        return AuditPage(shown, older=None, newer=shown[-1].seq if len(found) > limit else None)
    if query.before_seq is not None:
        found = log.page(
            _narrowed(where, before=query.before_seq), limit=limit + 1, newest_first=True
        )
        shown = found[:limit]
        newer = log.page(_narrowed(where, after=query.before_seq - 1), limit=1)
        return AuditPage(
            shown,
            older=shown[-1].seq if len(found) > limit else None,
            newer=(shown[0].seq if shown else query.before_seq - 1) if newer else None,
        )
    if query.after_seq > 0:
        found = log.page(_narrowed(where, after=query.after_seq), limit=limit + 1)
        shown = list(reversed(found[:limit]))
        older = log.page(_narrowed(where, before=query.after_seq + 1), limit=1, newest_first=True)
        return AuditPage(
            shown,
            older=(shown[-1].seq if shown else query.after_seq + 1) if older else None,
            newer=shown[0].seq if len(found) > limit else None,
        )
    found = log.page(where, limit=limit + 1, newest_first=True)
    shown = found[:limit]
    return AuditPage(shown, older=shown[-1].seq if len(found) > limit else None, newer=None)


def _chart(log: AuditLog, checked: _Checked, where: TrailFilter, until: date) -> ReadsChart:
    """The last ``CHART_DAYS`` days up to ``until`` (or the end of the filter's time range),
    within the filters: the count is bounded to the positions of that window."""
    if checked.until is not None:
        until = (checked.until - timedelta(microseconds=1)).date()
    first = until - timedelta(days=CHART_DAYS - 1)
    if checked.since is not None:
        first = max(first, checked.since.date())
    days = tuple(first + timedelta(days=i) for i in range((until - first).days + 1))
    if not days:
        return ReadsChart(days=(), counts={})
    start = datetime.combine(first, time(), UTC)
    end = datetime.combine(until + timedelta(days=1), time(), UTC)
    # Narrowed, never widened: ``where`` already holds the filter's own time range.
    bounded = _narrowed(where, after=log.first_seq_at(start) - 1, before=log.first_seq_at(end))
    reads = tuple(a for a in READS if where.action in (None, a))
    if not reads:
        return ReadsChart(days=days, counts={})
    counts: dict[str, list[int]] = {}
    position = {day: i for i, day in enumerate(days)}
    for row in log.daily_counts(replace(bounded, action=None, actions=reads)):
        if row.day in position:
            counts.setdefault(row.actor_id, [0] * len(days))[position[row.day]] += row.count
    return ReadsChart(days=days, counts={a: tuple(n) for a, n in counts.items()})


# The export's columns. Staff are named beside their ids, and actions beside their names.
EXPORT_COLUMNS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_name",
    "actor_role",
    "via",
    "action",
    "action_name",
    "outcome",
    "customers",
    "fields",
    "purpose",
    "request_id",
    "detail",
    "hash",
)
# A spreadsheet reads a cell starting with one of these as a formula.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def export(
    query: AuditQuery,
    *,
    uow: AuditUnitOfWork,
    actor: Actor,
    policy: Policy,
    label: Callable[[str], str] = str,
) -> AuditExport:
    """Every matching event, newest first, as CSV lines, streamed in batches.

    Counted first, and the export recorded with its filters and count before a line is
    given out: an export cut short is still on the record. Only events up to the newest at
    the count are exported, so the count is what the file holds. ``label`` names staff.
    """
    _allowed(actor, policy, "export")
    checked = _checked(query, policy)
    with uow.reading():
        where = _window(uow.audit, checked)
        where = _narrowed(where, before=uow.audit.newest_seq() + 1)
        count = uow.audit.count(where)
    with uow:
        uow.audit.append(
            entry_for(
                actor,
                "audit.exported",
                customer_id=query.customer_id,
                detail={"count": count, **checked.recorded(query)},
            )
        )
        uow.commit()
    return AuditExport(count=count, lines=_csv_lines(uow, where, label))


def _csv_lines(
    uow: AuditUnitOfWork, where: TrailFilter, label: Callable[[str], str]
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: list[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_neutral(cell) for cell in cells])
        return buffer.getvalue()

    yield line(list(EXPORT_COLUMNS))
    while True:
        # A reading unit per batch: a slow download never holds a transaction open.
        with uow.reading():
            batch = uow.audit.page(where, limit=_EXPORT_BATCH, newest_first=True)
        for event in batch:
            yield line(_export_row(event, label))
        if len(batch) < _EXPORT_BATCH:
            return
        where = _narrowed(where, before=batch[-1].seq)


def _export_row(event: AuditEvent, label: Callable[[str], str]) -> list[str]:
    e = event.entry
    return [
        str(event.seq),
        event.occurred_at.isoformat(),
        e.actor_id,
        label(e.actor_id),
        e.actor_role,
        via(e.credential).label,
        e.action,
        action_name(e.action),
        str(e.outcome),
        " ".join(e.customers),
        " ".join(e.fields),
        e.purpose or "",
        e.request_id or "",
        "; ".join(f"{k}={'' if v is None else v}" for k, v in sorted(e.detail.items())),
        event.hash,
    ]


def _neutral(cell: str) -> str:
    """A cell a spreadsheet would run as a formula is given a leading apostrophe."""
    return "'" + cell if cell.startswith(_FORMULA) else cell


def action_choices() -> list[tuple[str, str]]:
    """(action, plain-language name) for every action the trail records, by name."""
    return sorted(ACTIONS.items(), key=lambda item: item[1])


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
