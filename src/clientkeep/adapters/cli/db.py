"""`clientkeep db upgrade`: apply database and key-store migrations."""

from __future__ import annotations

import typer

from clientkeep import bootstrap
from clientkeep.adapters.cli._common import cli_errors, container, out
from clientkeep.adapters.db import migrate

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
