"""`clientkeep db upgrade|status|reindex`: the database schema and the index built from it."""

from __future__ import annotations

import typer

from clientkeep.adapters.cli._common import cli_actor, cli_errors, container, out, print_json
from clientkeep.adapters.cli._progress import progress

app = typer.Typer(help="Database schema.", no_args_is_help=True)
AS_JSON = typer.Option(False, "--json", help="Print JSON for scripts.")


@app.command("upgrade")
def upgrade(as_json: bool = AS_JSON) -> None:
    """Apply every pending migration (safe to run again)."""
    from clientkeep import bootstrap
    from clientkeep.adapters.db import migrate

    c = container()
    with cli_errors():
        bootstrap.upgrade_database(c)
        revision = migrate.current_revision(c.engine)
    if as_json:
        print_json(_revisions(revision, migrate.head_revision()))
        return
    out.print(f"database at revision {revision}", highlight=False)


@app.command("status")
def status(as_json: bool = AS_JSON) -> None:
    """Show the database's revision and the newest one this version knows."""
    from clientkeep import bootstrap
    from clientkeep.adapters.db import migrate

    c = container()
    with cli_errors():
        current = bootstrap.database_revision(c)
    head = migrate.head_revision()
    if as_json:
        print_json(_revisions(current, head))
        return
    state = "up to date" if current == head else "needs `clientkeep db upgrade`"
    out.print(f"database revision {current or 'none'}, newest {head}: {state}", highlight=False)


def _revisions(current: str | None, head: str | None) -> dict[str, object]:
    # ``revision`` is None where there is no database yet.
    up_to_date = current is not None and current == head
    return {"revision": current, "head": head, "up_to_date": up_to_date}


@app.command("reindex")
def reindex(
    batch: int = typer.Option(1000, "--batch", help="Customers per transaction."),
    as_json: bool = AS_JSON,
) -> None:
    """Rebuild every customer's search and duplicate-detection index from their sealed
    values: needed once after an upgrade that adds a kind of index term."""
    from clientkeep import bootstrap
    from clientkeep.customers import reindex as reindexing

    c = container()
    with cli_errors():
        bootstrap.check_ready(c)
        with progress("Reindexing customers", unit="customers") as tracker:
            done = reindexing.reindex(
                uow_factory=c.uow,
                actor=cli_actor(),
                policy=c.policy,
                batch=batch,
                progress=tracker.update,
            )
    if as_json:
        print_json({"customers": done.customers, "batches": done.batches})
        return
    out.print(f"reindexed {done.customers} customers", highlight=False)
