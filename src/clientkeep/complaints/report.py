"""The complaints report: by type, by UK month of receipt and by member of staff (the case's
owner, or who opened it), how many were received, are open, are overdue, were acknowledged
and resolved on time, the median days to resolve and the share of resolutions the customer
accepted, with the counts behind each share. Counts only: no customer is shown."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.complaints.case_views import rules_of
from clientkeep.complaints.model import UNRESOLVED, Accepted, Complaint
from clientkeep.complaints.ports import ComplaintUnitOfWork
from clientkeep.policy import READ_REPORTS
from clientkeep.policy.access import require_capability
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.uk_time import uk_date, uk_month
from clientkeep.staff.directory import directory

REPORT_READ = "complaints.report_read"
DIMENSIONS = ("type", "month", "staff")


@dataclass(frozen=True, slots=True)
class ReportRow:
    dimension: str  # type, month or staff
    key: str
    label: str
    received: int
    open: int
    overdue: int
    acknowledged_on_time: int
    resolved: int
    resolved_on_time: int
    median_days_to_resolve: float | None
    # Of the resolutions the customer answered yes or no to, how many they accepted.
    accepted: int
    answered: int

    @property
    def accepted_share(self) -> float | None:
        return round(self.accepted / self.answered, 3) if self.answered else None


@dataclass(frozen=True, slots=True)
class ComplaintsReport:
    generated_at: datetime
    rows: tuple[ReportRow, ...]


def _row(dimension: str, key: str, label: str, cases: list[Complaint], now: datetime) -> ReportRow:
    today = uk_date(now)
    open_ = [c for c in cases if c.state in UNRESOLVED]
    resolved = [c for c in cases if c.resolved_at is not None]
    overdue = [
        c
        for c in open_
        if c.final_response_due < today or (c.acknowledged_at is None and c.acknowledge_due < today)
    ]
    days = [
        (uk_date(c.resolved_at) - uk_date(c.received_at)).days
        for c in resolved
        if c.resolved_at is not None
    ]
    answered = [c for c in resolved if c.customer_accepted in (Accepted.YES, Accepted.NO)]
    return ReportRow(
        dimension=dimension,
        key=key,
        label=label,
        received=len(cases),
        open=len(open_),
        overdue=len(overdue),
        acknowledged_on_time=sum(
            1
            for c in cases
            if c.acknowledged_at is not None and uk_date(c.acknowledged_at) <= c.acknowledge_due
        ),
        resolved=len(resolved),
        resolved_on_time=sum(
            1
            for c in resolved
            if c.resolved_at is not None and uk_date(c.resolved_at) <= c.final_response_due
        ),
        median_days_to_resolve=float(median(days)) if days else None,
        accepted=sum(1 for c in answered if c.customer_accepted is Accepted.YES),
        answered=len(answered),
    )


def _grouped(cases: Iterable[Complaint], key_of: object) -> dict[str, list[Complaint]]:
    groups: dict[str, list[Complaint]] = {}
    for c in cases:
        groups.setdefault(key_of(c), []).append(c)  # type: ignore[operator]
    return groups


@records_denials(REPORT_READ)
def complaints_report(
    *, uow: ComplaintUnitOfWork, actor: Actor, policy: Policy, clock: Clock
) -> ComplaintsReport:
    """Every complaint counted by type, month and member of staff (needs reports.read)."""
    require_capability(policy, actor.role, READ_REPORTS, "read the complaints report")
    rules = rules_of(policy)
    now = clock.now()
    with uow:
        cases = uow.complaints.received_between(None, None)
        people = directory(uow.staff)
        rows: list[ReportRow] = []
        for key, group in sorted(_grouped(cases, lambda c: c.type).items()):
            kind = rules.types.get(key)
            rows.append(_row("type", key, kind.label if kind else key, group, now))
        for key, group in sorted(_grouped(cases, lambda c: uk_month(c.received_at)).items()):
            rows.append(_row("month", key, key, group, now))
        by_staff = _grouped(cases, lambda c: c.owner_id or c.opened_by)
        for key, group in sorted(by_staff.items(), key=lambda kv: people.label(kv[0])):
            rows.append(_row("staff", key, people.label(key), group, now))
        uow.audit.append(
            entry_for(actor, REPORT_READ, detail={"complaints": len(cases), "rows": len(rows)})
        )
        uow.commit()
    return ComplaintsReport(generated_at=now, rows=tuple(rows))
