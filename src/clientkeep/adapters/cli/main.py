"""The root `clientkeep` command: mounts one sub-app per capability.

Every command module keeps its top-level imports light (see `_common`), so `clientkeep --help`
and `clientkeep version` start without loading the database, web or crypto layers.
"""

from __future__ import annotations

import typer

from clientkeep import __version__
from clientkeep.adapters.cli import (
    audit,
    complaints,
    customer_import,
    customer_list,
    customers,
    db,
    disclose,
    feedback,
    interactions,
    keys,
    outbox,
    policy,
    replies,
    reports,
    representatives,
    satisfaction_report,
    serve,
    staff_second_factor,
    third_party_requests,
    verify,
)
from clientkeep.adapters.cli._common import (
    cli_actor,
    cli_errors,
    container,
    out,
    print_json,
    read_password,
)
from clientkeep.adapters.cli.staff import member_json, token_app, user_app

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
user_app.command("second-factor-status")(staff_second_factor.second_factor_status)
user_app.command("reset-second-factor")(staff_second_factor.reset_second_factor)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
customers.app.command("import")(customer_import.import_file)
customers.app.command("list")(customer_list.list_customers)
app.add_typer(customers.app, name="customer")
app.add_typer(verify.app, name="verify")
app.command("disclose")(disclose.disclose)
app.command("disclosures")(disclose.disclosures_)
app.add_typer(third_party_requests.app, name="third-party-request")
app.add_typer(representatives.app, name="representative")
app.add_typer(outbox.app, name="outbox")
app.add_typer(replies.app, name="reply")
app.add_typer(complaints.app, name="complaint")
reports.app.command("satisfaction")(satisfaction_report.satisfaction)
app.add_typer(reports.app, name="report")
app.add_typer(feedback.app, name="feedback")
app.add_typer(interactions.app, name="interaction")
app.command("serve")(serve.serve)
app.command("demo")(serve.demo)


@app.command("init")
def init(
    admin_username: str = typer.Option("admin", "--admin-username"),
    admin_password_stdin: bool = typer.Option(
        False, "--admin-password-stdin", help="Read the first admin's password from stdin."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts."),
) -> None:
    """Create the data directory, key store, master key, database and first administrator."""
    from clientkeep import bootstrap

    c = container()
    password = read_password(from_stdin=admin_password_stdin, prompt="Admin password")
    with cli_errors():
        admin = bootstrap.initialise(
            c, admin_username=admin_username, admin_password=password, actor=cli_actor()
        )
    if as_json:
        print_json(
            {"data_dir": str(c.settings.data_dir), "admin": member_json(admin, c.clock.now())}
        )
        return
    out.print(
        f"initialised {c.settings.data_dir}; first administrator: {admin.username}", highlight=False
    )


@app.command("version")
def version(as_json: bool = typer.Option(False, "--json", help="Print JSON for scripts.")) -> None:
    """Print the version."""
    if as_json:
        print_json({"version": __version__})
        return
    typer.echo(__version__)


def main() -> None:
    app()
