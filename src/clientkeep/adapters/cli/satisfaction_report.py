"""`clientkeep report satisfaction`: CSAT and NPS by month, channel, category or member of
staff over a range of UK months, each figure with its number of answers; as a table, JSON or
spreadsheet-safe CSV. Needs the reports.read capability."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from clientkeep.adapters.cli._common import cli_errors, container, fail, out, print_json
from clientkeep.adapters.cli.customers import AsJson, AsUser, acting_as

if TYPE_CHECKING:
    from clientkeep.feedback.reports import SatisfactionLine

# Written out so `--help` need not load the domain (feedback.reports.GROUPINGS).
GROUPINGS = ("month", "channel", "category", "staff")


def _line(line: SatisfactionLine) -> dict[str, Any]:
    t = line.tally
    return {
        "key": line.key,
        "label": line.label,
        "csat": line.csat,
        "csat_answers": t.csat_answers,
        "nps": line.nps,
        "nps_answers": t.nps_answers,
        "promoters": t.promoters,
        "passives": t.passives,
        "detractors": t.detractors,
    }


def satisfaction(
    as_user: AsUser,
    by: Annotated[str, typer.Option("--by", help=f"One of: {', '.join(GROUPINGS)}.")] = "month",
    from_month: Annotated[
        str | None, typer.Option("--from", help="First month (2025-12); 11 months back.")
    ] = None,
    to_month: Annotated[
        str | None, typer.Option("--to", help="Last month (2026-11); this UK month.")
    ] = None,
    as_json: AsJson = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print CSV for a spreadsheet.")] = False,
) -> None:
    """CSAT (% of answers 4-5) and NPS (% 9-10 minus % 0-6), with their answers."""
    from clientkeep.feedback import services as feedback

    if as_json and as_csv:
        fail("give at most one of --json and --csv", 2)
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        report = feedback.satisfaction_report(
            by=by,
            from_month=from_month,
            to_month=to_month,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    if as_csv:
        typer.echo(feedback.report_csv(report), nl=False)
        return
    if as_json:
        print_json(
            {
                "by": report.by,
                "from_month": report.from_month,
                "to_month": report.to_month,
                "lines": [_line(line) for line in report.lines],
                "total": _line(report.total),
            }
        )
        return
    out.print(
        f"satisfaction by {report.by}, {report.from_month} to {report.to_month}", highlight=False
    )
    for row in feedback.report_rows(report)[1:]:
        _, label, csat, csat_n, nps, nps_n, *_rest = row
        out.print(
            f"{label:<32} CSAT {csat or '-':>6}% of {csat_n:>7}"
            f"   NPS {nps or '-':>6} of {nps_n:>7}",
            highlight=False,
            markup=False,
        )
