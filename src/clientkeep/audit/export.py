"""The audit trail exported as CSV: counted and recorded before the first line is given out,
then streamed from storage in batches, newest first."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from clientkeep.audit.actions import action_name
from clientkeep.audit.model import AuditEvent, entry_for
from clientkeep.audit.ports import TrailFilter
from clientkeep.audit.services import AuditQuery, AuditUnitOfWork, check_query, require_reader
from clientkeep.audit.trail_window import narrowed, within_times
from clientkeep.audit.via import via
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.spreadsheet_safe import neutralise_row

_EXPORT_BATCH = 500

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


@dataclass(frozen=True, slots=True)
class AuditExport:
    count: int
    # CSV text, a line at a time, read from storage in batches as it is consumed.
    lines: Iterator[str] = field(repr=False)


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
    require_reader(actor, policy, "export")
    checked = check_query(query, policy)
    with uow.reading():
        where = within_times(uow.audit, checked.where, since=checked.since, until=checked.until)
        where = narrowed(where, before=uow.audit.newest_seq() + 1)
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
        writer.writerow(neutralise_row(cells))
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
        where = narrowed(where, before=batch[-1].seq)


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
