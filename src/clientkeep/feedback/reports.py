"""The satisfaction report: CSAT and NPS by month, channel, category or member of staff.

Aggregates only: no customer and no comment is in a report, so it names no one in the audit
trail, but it compares members of staff, so it needs the ``reports.read`` capability and
every reading is audited (a refusal too). The counting is done by the repository, in SQL, over
plain columns; each line carries the number of answers behind its figures.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.feedback.ports import GROUP_COLUMNS, FeedbackUnitOfWork
from clientkeep.feedback.scores import Tally
from clientkeep.interactions.vocabulary import CATEGORIES, CHANNELS
from clientkeep.policy import READ_REPORTS
from clientkeep.policy.access import require_capability
from clientkeep.policy.model import Policy
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput
from clientkeep.shared.spreadsheet_safe import neutralise_row
from clientkeep.shared.uk_time import uk_month
from clientkeep.staff.directory import Directory, directory

GROUPINGS = tuple(GROUP_COLUMNS)
DEFAULT_MONTHS = 12
MONTHS_MAX = 120
_MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")
# What a line with no channel or category (feedback given without either) is called.
UNSTATED = "not stated"


@dataclass(frozen=True, slots=True)
class SatisfactionLine:
    # The month ("2026-11"), channel, category or staff id; None: not stated.
    key: str | None
    label: str
    tally: Tally

    @property
    def csat(self) -> float | None:
        return self.tally.csat

    @property
    def nps(self) -> float | None:
        return self.tally.nps


@dataclass(frozen=True, slots=True)
class SatisfactionReport:
    by: str
    from_month: str
    to_month: str
    lines: list[SatisfactionLine]
    total: SatisfactionLine


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included ("2026-11", "2026-12", ...)."""
    y, m = int(first[:4]), int(first[5:])
    found = []
    while f"{y:04d}-{m:02d}" <= last:
        found.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return found


def _shifted(month: str, by: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:]) - 1 + by
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(from_month: str | None, to_month: str | None, now: datetime) -> tuple[str, str]:
    """The months asked for; by default the last twelve, this UK month included."""
    errors: list[tuple[str, str]] = []
    for name, value in (("from", from_month), ("to", to_month)):
        if value is not None and not _MONTH.fullmatch(value):
            errors.append((name, "A month such as 2026-11."))
    if errors:
        raise InvalidInput(errors)
    last = to_month or uk_month(now)
    first = from_month or _shifted(last, -(DEFAULT_MONTHS - 1))
    if first > last:
        raise InvalidInput([("from", "Must not be after the month the report runs to.")])
    if len(months_between(first, last)) > MONTHS_MAX:
        raise InvalidInput([("from", f"At most {MONTHS_MAX} months at a time.")])
    return first, last


def _order(by: str, keys: set[str | None], first: str, last: str) -> list[str | None]:
    if by == "month":
        return list(months_between(first, last))  # every month, none left out for being empty
    if by == "channel":
        known: tuple[str, ...] = CHANNELS
    elif by == "category":
        known = CATEGORIES
    else:
        known = ()
    ordered: list[str | None] = [k for k in known if k in keys]
    ordered += sorted(k for k in keys if k is not None and k not in known)
    return ordered + ([None] if None in keys else [])


def _report(
    by: str,
    counted: dict[str | None, Tally],
    first: str,
    last: str,
    people: Directory | None,
) -> SatisfactionReport:
    lines = []
    for key in _order(by, set(counted), first, last):
        if key is None:
            label = UNSTATED
        elif people is not None:
            label = people.label(key)
        elif by == "month":
            label = key
        else:
            label = key.replace("_", " ")
        lines.append(SatisfactionLine(key=key, label=label, tally=counted.get(key, Tally())))
    total = Tally()
    for line in lines:
        total = total + line.tally
    return SatisfactionReport(
        by=by,
        from_month=first,
        to_month=last,
        lines=lines,
        total=SatisfactionLine(key=None, label="All", tally=total),
    )


def _audited(uow: FeedbackUnitOfWork, actor: Actor, by: str, first: str, last: str) -> None:
    uow.audit.append(
        entry_for(actor, "reports.satisfaction_read", detail={"by": by, "from": first, "to": last})
    )


@records_denials("reports.satisfaction_read")
def satisfaction_report(
    *,
    by: str,
    from_month: str | None = None,
    to_month: str | None = None,
    uow: FeedbackUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> SatisfactionReport:
    """CSAT and NPS with their answers, one line per month, channel, category or member of
    staff (named by the staff directory), over a range of UK months, and the total."""
    require_capability(policy, actor.role, READ_REPORTS, "read satisfaction reports")
    if by not in GROUP_COLUMNS:
        raise InvalidInput([("by", f"Choose one of: {', '.join(GROUPINGS)}.")])
    first, last = month_range(from_month, to_month, clock.now())
    with uow:
        counted = uow.feedback.tallies(by, first, last)
        people = directory(uow.staff) if by == "staff" else None
        _audited(uow, actor, by, first, last)
        uow.commit()
    return _report(by, counted, first, last, people)


@records_denials("reports.satisfaction_read")
def satisfaction_dashboard(
    *,
    from_month: str | None = None,
    to_month: str | None = None,
    uow: FeedbackUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> dict[str, SatisfactionReport]:
    """The report by every grouping at once, for the dashboard: the answers are counted in
    one pass by (month, channel, category, member) and rolled up here; one audit event."""
    require_capability(policy, actor.role, READ_REPORTS, "read satisfaction reports")
    first, last = month_range(from_month, to_month, clock.now())
    with uow:
        counted = uow.feedback.tallies_by_all(first, last)
        people = directory(uow.staff)
        _audited(uow, actor, "all", first, last)
        uow.commit()
    # Plain lists of counts while rolling up: tens of thousands of groups at a million answers.
    sums: dict[str, dict[str | None, list[int]]] = {by: {} for by in GROUPINGS}
    for (month, channel, category, staff_id), t in counted.items():
        counts = (t.csat_answers, t.satisfied, t.nps_answers, t.promoters, t.passives, t.detractors)
        for by, key in (
            ("month", month),
            ("channel", channel),
            ("category", category),
            ("staff", staff_id),
        ):
            held = sums[by].get(key)
            if held is None:
                sums[by][key] = list(counts)
            else:
                for i, n in enumerate(counts):
                    held[i] += n
    rolled = {
        by: {key: Tally(*counts) for key, counts in found.items()} for by, found in sums.items()
    }
    return {
        by: _report(by, rolled[by], first, last, people if by == "staff" else None)
        for by in GROUPINGS
    }


CSV_COLUMNS = (
    "by",
    "group",
    "csat_percent",
    "csat_answers",
    "nps",
    "nps_answers",
    "promoters",
    "passives",
    "detractors",
)


def _figure(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def report_rows(report: SatisfactionReport) -> list[list[str]]:
    """The report as rows of text, a header first and the total last: for CSV and tables."""
    rows = [list(CSV_COLUMNS)]
    for line in [*report.lines, report.total]:
        t = line.tally
        rows.append(
            [
                report.by if line is not report.total else "total",
                line.label,
                _figure(line.csat),
                str(t.csat_answers),
                _figure(line.nps),
                str(t.nps_answers),
                str(t.promoters),
                str(t.passives),
                str(t.detractors),
            ]
        )
    return rows


def report_csv(report: SatisfactionReport) -> str:
    """The report as CSV, every cell safe to open in a spreadsheet (a member's display name
    could start with "=")."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in report_rows(report):
        writer.writerow(neutralise_row(row))
    return buffer.getvalue()
