"""`clientkeep audit verify`: prove the trail has not been changed."""

from __future__ import annotations

import typer

from clientkeep.adapters.cli._common import cli_errors, container, err, out, print_json
from clientkeep.audit import services as audit

app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)


@app.command("verify")
def verify(as_json: bool = typer.Option(False, "--json")) -> None:
    """Recompute every link of the chain; exit 1 naming the first bad event."""
    c = container()
    with cli_errors():
        result = audit.verify(uow=c.uow())
    if as_json:
        print_json(
            {
                "ok": result.ok,
                "count": result.count,
                "head_hash": result.head_hash,
                "first_bad_seq": result.first_bad_seq,
                "problem": result.problem,
            }
        )
    elif result.ok:
        out.print(
            f"audit trail intact: {result.count} events, head {result.head_hash}", highlight=False
        )
    else:
        err.print(
            f"audit trail BROKEN at event {result.first_bad_seq}: {result.problem}",
            highlight=False,
        )
    if not result.ok:
        raise typer.Exit(1)
