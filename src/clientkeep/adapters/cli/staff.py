"""`clientkeep user ...` and `clientkeep token ...`: staff accounts and API tokens."""

from __future__ import annotations

import getpass
import sys

import typer
from rich.table import Table

from clientkeep.adapters.cli._common import (
    cli_actor,
    cli_credential,
    cli_errors,
    container,
    out,
    print_json,
    read_password,
)
from clientkeep.staff import authentication
from clientkeep.staff import services as staff

user_app = typer.Typer(help="Staff accounts.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for staff accounts.", no_args_is_help=True)


@user_app.command("add")
def add(
    username: str,
    role: str = typer.Option(..., "--role", help="A role from the policy."),
    display_name: str | None = typer.Option(None, "--display-name"),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the password from standard input."
    ),
) -> None:
    """Add a staff member."""
    c = container()
    password = read_password(from_stdin=password_stdin)
    with cli_errors():
        member = staff.add_staff(
            staff.AddStaff(
                username=username, role=role, password=password, display_name=display_name
            ),
            uow=c.uow(),
            actor=cli_actor(),
            policy=c.policy,
            clock=c.clock,
            hasher=c.hasher,
        )
    out.print(f"added {member.username} ({member.role}) as {member.id}", highlight=False)


@user_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json")) -> None:
    """List staff members."""
    c = container()
    with cli_errors():
        members = staff.list_staff(uow=c.uow(), actor=cli_actor(), policy=c.policy)
    now = c.clock.now()
    rows = [
        {
            "id": m.id,
            "username": m.username,
            "display_name": m.display_name,
            "role": m.role,
            "status": "disabled" if not m.active else "locked" if m.is_locked(now) else "active",
            "created_at": m.created_at.isoformat(),
        }
        for m in members
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("username", "display name", "role", "status", "id", title="Staff")
    for r in rows:
        table.add_row(r["username"], r["display_name"], r["role"], r["status"], r["id"])
    out.print(table)


@user_app.command("disable")
def disable(username: str) -> None:
    """Disable a staff member: ends their sessions and revokes their tokens."""
    c = container()
    with cli_errors():
        member = staff.disable_staff(
            username, uow=c.uow(), actor=cli_actor(), policy=c.policy, clock=c.clock
        )
    out.print(f"disabled {member.username}", highlight=False)


def _own_password(username: str, *, from_stdin: bool) -> str:
    if from_stdin or not sys.stdin.isatty():
        # Reads standard input, or says to pass --password-stdin when there is no terminal.
        return read_password(from_stdin=from_stdin)
    return getpass.getpass(f"Password for {username}: ")  # asked once: it is not a new one


@token_app.command("create")
def create(
    username: str,
    label: str = typer.Option("api", "--label", help="What the token is for."),
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read USERNAME's password from standard input."
    ),
) -> None:
    """Create an API token for yourself, as USERNAME: asks for your password, then prints
    only the token, once. A token acts as its holder, so nobody makes one for someone else."""
    c = container()
    password = _own_password(username, from_stdin=password_stdin)
    with cli_errors():
        holder = authentication.authenticate(
            username,
            password,
            credential=cli_credential(),
            uow=c.uow(),
            policy=c.policy,
            clock=c.clock,
            hasher=c.hasher,
        )
        new = staff.create_token(label, uow=c.uow(), actor=holder, clock=c.clock)
    typer.echo(new.secret)


@token_app.command("list")
def list_tokens(username: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """List a staff member's tokens (never the secrets)."""
    c = container()
    with cli_errors():
        tokens = staff.list_tokens(username, uow=c.uow(), actor=cli_actor(), policy=c.policy)
    rows = [
        {
            "id": t.id,
            "label": t.label,
            "created_at": t.created_at.isoformat(),
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
        }
        for t in tokens
    ]
    if as_json:
        print_json(rows)
        return
    table = Table("id", "label", "created", "last used", "revoked", title=f"Tokens of {username}")
    for r in rows:
        table.add_row(
            r["id"], r["label"], r["created_at"], r["last_used_at"] or "-", r["revoked_at"] or "-"
        )
    out.print(table)


@token_app.command("revoke")
def revoke(token_id: str) -> None:
    """Revoke an API token by its id (tok_...)."""
    c = container()
    with cli_errors():
        token = staff.revoke_token(
            token_id, uow=c.uow(), actor=cli_actor(), policy=c.policy, clock=c.clock
        )
    out.print(f"revoked {token.id}", highlight=False)
