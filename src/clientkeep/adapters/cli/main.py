"""The root `clientkeep` command: mounts one sub-app per capability."""

from __future__ import annotations

import typer

from clientkeep import __version__, bootstrap
from clientkeep.adapters.cli import audit, customer_import, customers, db, keys, policy, serve
from clientkeep.adapters.cli._common import cli_actor, cli_errors, container, out, read_password
from clientkeep.adapters.cli.staff import token_app, user_app

app = typer.Typer(
    name="clientkeep",
    help="Customer records that keep the law (UK GDPR and the Data Protection Act 2018).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(policy.app, name="policy")
app.add_typer(keys.app, name="keys")
app.add_typer(audit.app, name="audit")
app.add_typer(db.app, name="db")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
customers.app.command("import")(customer_import.import_file)
app.add_typer(customers.app, name="customer")
app.command("serve")(serve.serve)
app.command("demo")(serve.demo)


@app.command("init")
def init(
    admin_username: str = typer.Option("admin", "--admin-username"),
    admin_password_stdin: bool = typer.Option(
        False, "--admin-password-stdin", help="Read the first admin's password from stdin."
    ),
) -> None:
    """Create the data directory, key store, master key, database and first administrator."""
    c = container()
    password = read_password(from_stdin=admin_password_stdin, prompt="Admin password")
    with cli_errors():
        admin = bootstrap.initialise(
            c, admin_username=admin_username, admin_password=password, actor=cli_actor()
        )
    out.print(
        f"initialised {c.settings.data_dir}; first administrator: {admin.username}", highlight=False
    )


@app.command("version")
def version() -> None:
    """Print the version."""
    typer.echo(__version__)


def main() -> None:
    app()
