"""`clientkeep audit verify`: prove the trail has not been changed."""

from __future__ import annotations

import typer

from clientkeep.adapters.cli._common import cli_errors, container, err, out, print_json
from clientkeep.audit import services as audit
from clientkeep.audit.model import VerifyResult

app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)


@app.command("verify")
def verify(as_json: bool = typer.Option(False, "--json")) -> None:
    """Recompute every link of the chain; exit 1 naming the first bad event.

    Prints the head and the newest checkpoint: record them outside clientkeep, and a trail
    later cut back past them shows.
    """
    c = container()
    with cli_errors():
        result = audit.verify(uow=c.uow())
    if as_json:
        print_json(
            {
                "ok": result.ok,
                "count": result.count,
                "head_seq": result.head_seq,
                "head_hash": result.head_hash,
                "checkpoint_seq": result.checkpoint_seq,
                "checkpoint_hash": result.checkpoint_hash,
                "first_bad_seq": result.first_bad_seq,
                "problem": result.problem,
            }
        )
    elif result.ok:
        out.print(f"audit trail intact: {result.count} events", highlight=False)
        # Unwrapped, so a hash copied from the terminal is whole.
        out.print(_marks(result), highlight=False, soft_wrap=True)
    else:
        err.print(
            f"audit trail BROKEN at event {result.first_bad_seq}: {result.problem}",
            highlight=False,
            soft_wrap=True,
        )
        err.print(_marks(result, head="verified up to"), highlight=False, soft_wrap=True)
    if not result.ok:
        raise typer.Exit(1)


def _marks(result: VerifyResult, *, head: str = "head") -> str:
    checkpoint = (
        f"event {result.checkpoint_seq} {result.checkpoint_hash}"
        if result.checkpoint_seq is not None
        else "none yet"
    )
    return f"{head}: event {result.head_seq} {result.head_hash}\nnewest checkpoint: {checkpoint}"
