"""`clientkeep audit verify`: prove the trail has not been changed; `clientkeep audit list`:
page through it with the web page's and the API's filters (itself an audited read)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from clientkeep.adapters.cli._audit_page import page_json
from clientkeep.adapters.cli._common import cli_errors, container, err, out, print_json
from clientkeep.adapters.cli._progress import progress
from clientkeep.adapters.cli.customers import acting_as
from clientkeep.audit.cursors import Order, cursors, query_of

if TYPE_CHECKING:
    from clientkeep.audit.model import VerifyResult

app = typer.Typer(help="The tamper-evident audit trail.", no_args_is_help=True)
# audit.services.MAX_PAGE, written out so `--help` need not load the audit trail's use cases
# (a unit test keeps them equal).
MAX_PAGE = 500


@app.command("verify")
def verify(as_json: bool = typer.Option(False, "--json")) -> None:
    """Recompute every link of the chain; exit 1 naming the first bad event.

    Prints the head and the newest checkpoint: record them outside clientkeep, and a trail
    later cut back past them shows.
    """
    from clientkeep.audit import services as audit

    c = container()
    with cli_errors(), progress("Verifying the audit trail", unit="events") as tracker:

        def step(done: int, total: int) -> None:
            if total != tracker.total:
                tracker.set_total(total)
            tracker.update(done)

        result = audit.verify(uow=c.uow(), on_progress=step)
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


Filter = Annotated[str | None, typer.Option()]


@app.command("list")
def list_events(
    as_user: Annotated[
        str,
        typer.Option(
            "--as",
            envvar="CLIENTKEEP_AS",
            metavar="USERNAME",
            help="The member of staff reading (a role that may read the audit trail).",
        ),
    ],
    cursor: Annotated[str | None, typer.Option(help="next_cursor or prev_cursor")] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_PAGE)] = 50,
    order: Annotated[str, typer.Option(help="newest or oldest (with no cursor)")] = "newest",
    customer_id: Annotated[str | None, typer.Option("--customer", help="a customer id")] = None,
    actor_id: Annotated[str | None, typer.Option("--staff", help="a staff id (stf_...)")] = None,
    action: Annotated[str | None, typer.Option(help="e.g. customer.read")] = None,
    outcome: Annotated[str | None, typer.Option(help="success, denied or failed")] = None,
    purpose: Annotated[str | None, typer.Option(help="one of the policy's purposes")] = None,
    since: Annotated[str | None, typer.Option("--from", help="a date or date-time (UTC)")] = None,
    until: Annotated[str | None, typer.Option("--to", help="inclusive")] = None,
    as_json: bool = typer.Option(False, "--json", help="the API's fields"),
) -> None:
    """Events newest first (--order oldest walks up from the first); each read is recorded."""
    from clientkeep.audit import services as audit
    from clientkeep.audit.actions import action_name
    from clientkeep.staff.directory import directory

    c = container()
    actor = acting_as(c, as_user)
    if order not in ("newest", "oldest"):
        err.print("error: order: give newest or oldest", highlight=False)
        raise typer.Exit(2)
    chosen: Order = "oldest" if order == "oldest" else "newest"
    with cli_errors():
        query = query_of(
            cursor,
            chosen,
            limit,
            customer_id=customer_id,
            actor_id=actor_id,
            action=action,
            outcome=outcome,
            purpose=purpose,
            since=since,
            until=until,
        )
        page = audit.read_page(query, uow=c.uow(), actor=actor, policy=c.policy)
        with c.uow().reading() as uow:
            names = directory(uow.staff)
    next_cursor, prev_cursor = cursors(query, page)
    if as_json:
        print_json(page_json(page, names, next_cursor, prev_cursor))
        return
    for e in page.events:
        customers = " ".join(e.entry.customers) or "-"
        out.print(
            f"{e.seq}\t{e.occurred_at:%Y-%m-%d %H:%M:%S}\t{names.label(e.entry.actor_id)}\t"
            f"{action_name(e.entry.action)}\t{e.entry.outcome}\t{customers}",
            highlight=False,
            soft_wrap=True,
            markup=False,
        )
    if next_cursor:
        out.print(f"older: --cursor {next_cursor}", highlight=False, soft_wrap=True)
    if prev_cursor:
        out.print(f"newer: --cursor {prev_cursor}", highlight=False, soft_wrap=True)
