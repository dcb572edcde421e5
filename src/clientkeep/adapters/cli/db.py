"""`clientkeep db upgrade`: apply database and key-store migrations."""

from __future__ import annotations

import typer
from rich.progress import Progress

from clientkeep import bootstrap
from clientkeep.adapters.cli._common import cli_actor, cli_errors, container, err, out
from clientkeep.adapters.db import migrate
from clientkeep.customers import reindex as reindexing

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade() -> None:
    """Apply every pending migration (safe to run again)."""
    c = container()
    with cli_errors():
        bootstrap.upgrade_database(c)
        revision = migrate.current_revision(c.engine)
    out.print(f"database at revision {revision}", highlight=False)


@app.command("status")
def status() -> None:
    """Show the database's revision and the newest one this version knows."""
    c = container()
    with cli_errors():
        current = bootstrap.database_revision(c)
    head = migrate.head_revision()
    state = "up to date" if current == head else "needs `clientkeep db upgrade`"
    out.print(f"database revision {current or 'none'}, newest {head}: {state}", highlight=False)


@app.command("reindex")
def reindex(
    batch: int = typer.Option(1000, "--batch", help="Customers per transaction."),
) -> None:
    """Rebuild every customer's search and duplicate-detection index from their sealed
    values: needed once after an upgrade that adds a kind of index term."""
    c = container()
    with cli_errors():
        bootstrap.check_ready(c)
        with Progress(transient=True, console=err) as progress:
            task = progress.add_task("Reindexing customers", total=None)
            done = reindexing.reindex(
                uow_factory=c.uow,
                actor=cli_actor(),
                policy=c.policy,
                batch=batch,
                progress=lambda n: progress.update(task, completed=n),
            )
    out.print(f"reindexed {done.customers} customers", highlight=False)
