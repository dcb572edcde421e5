"""`clientkeep report ...`: reports that count, never list, customers (needs reports.read)."""

from __future__ import annotations

import typer

from clientkeep.adapters.cli._common import cli_errors, container, out, print_json
from clientkeep.adapters.cli.customers import AsJson, AsUser, acting_as

app = typer.Typer(help="Reports (needs reports.read).")


@app.command("complaints")
def complaints(as_user: AsUser, as_json: AsJson = False) -> None:
    """Complaints by type, month and member of staff: received, open, overdue, on time, median
    days to resolve and the share of resolutions accepted."""
    from clientkeep.complaints import services as complaints_services

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        report = complaints_services.complaints_report(
            uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock
        )
    rows = [
        {
            "dimension": r.dimension,
            "key": r.key,
            "label": r.label,
            "received": r.received,
            "open": r.open,
            "overdue": r.overdue,
            "acknowledged_on_time": r.acknowledged_on_time,
            "resolved": r.resolved,
            "resolved_on_time": r.resolved_on_time,
            "median_days_to_resolve": r.median_days_to_resolve,
            "accepted": r.accepted,
            "answered": r.answered,
            "accepted_share": r.accepted_share,
        }
        for r in report.rows
    ]
    if as_json:
        print_json({"generated_at": report.generated_at.isoformat(), "rows": rows})
        return
    if not rows:
        out.print("no complaints")
        return
    for r in rows:
        median = "-" if r["median_days_to_resolve"] is None else r["median_days_to_resolve"]
        share = "-" if r["accepted_share"] is None else f"{r['accepted_share']:.0%}"
        out.print(
            f"{r['dimension']:<6} {r['label']}: received {r['received']}, open {r['open']}, "
            f"overdue {r['overdue']}, acknowledged on time {r['acknowledged_on_time']}, "
            f"resolved {r['resolved']} ({r['resolved_on_time']} on time), "
            f"median {median} days, accepted {share} of {r['answered']}",
            highlight=False,
            markup=False,
        )
