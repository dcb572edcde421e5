"""`clientkeep user ...` and `clientkeep token ...`: staff accounts and API tokens."""

from __future__ import annotations

import getpass
import sys
from datetime import datetime
from typing import TYPE_CHECKING

import typer

from clientkeep.adapters.cli._common import (
    cli_actor,
    cli_credential,
    cli_errors,
    container,
    out,
    print_json,
    read_password,
)

if TYPE_CHECKING:
    from clientkeep.staff.model import ApiToken, StaffMember

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
    as_json: bool = typer.Option(False, "--json", help="Print the account as `user list` does."),
) -> None:
    """Add a staff member."""
    from clientkeep.staff import services as staff

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
    if as_json:
        print_json(member_json(member, c.clock.now()))
        return
    out.print(f"added {member.username} ({member.role}) as {member.id}", highlight=False)


def member_json(m: StaffMember, now: datetime) -> dict[str, object]:
    """A staff account as every command's ``--json`` shows it."""
    return {
        "id": m.id,
        "username": m.username,
        "display_name": m.display_name,
        "role": m.role,
        "status": m.status(now),
        "must_change_password": m.must_change_password,
        "created_at": m.created_at.isoformat(),
    }


def _changed(verb: str, member: StaffMember, now: datetime, *, as_json: bool) -> None:
    if as_json:
        print_json(member_json(member, now))
    else:
        out.print(f"{verb} {member.username} ({member.role})", highlight=False)


_JSON = typer.Option(False, "--json", help="Print the account as JSON, as `user list` does.")


@user_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json")) -> None:
    """List staff members."""
    from rich.table import Table

    from clientkeep.staff import services as staff

    c = container()
    with cli_errors():
        members = staff.list_staff(uow=c.uow(), actor=cli_actor(), policy=c.policy)
    now = c.clock.now()
    rows = [member_json(m, now) for m in members]
    if as_json:
        print_json(rows)
        return
    table = Table("username", "display name", "role", "status", "id", title="Staff")
    for m in members:
        table.add_row(m.username, m.display_name, m.role, m.status(now), m.id)
    out.print(table)


@user_app.command("disable")
def disable(username: str, as_json: bool = _JSON) -> None:
    """Disable a staff member: ends their sessions and revokes their tokens."""
    from clientkeep.staff import services as staff

    c = container()
    with cli_errors():
        member = staff.disable_staff(
            username, uow=c.uow(), actor=cli_actor(), policy=c.policy, clock=c.clock
        )
    _changed("disabled", member, c.clock.now(), as_json=as_json)


@user_app.command("enable")
def enable(username: str, as_json: bool = _JSON) -> None:
    """Let a disabled staff member sign in again (their revoked tokens stay revoked)."""
    from clientkeep.staff import accounts

    c = container()
    with cli_errors():
        member = accounts.enable_staff(
            username, uow=c.uow(), actor=cli_actor(), policy=c.policy, clock=c.clock
        )
    _changed("enabled", member, c.clock.now(), as_json=as_json)


@user_app.command("unlock")
def unlock(username: str, as_json: bool = _JSON) -> None:
    """Lift the lock left by repeated failed sign-ins."""
    from clientkeep.staff import accounts

    c = container()
    with cli_errors():
        member = accounts.unlock_staff(
            username, uow=c.uow(), actor=cli_actor(), policy=c.policy, clock=c.clock
        )
    _changed("unlocked", member, c.clock.now(), as_json=as_json)


@user_app.command("set-role")
def set_role(
    username: str,
    role: str = typer.Option(..., "--role", help="A role from the policy."),
    as_json: bool = _JSON,
) -> None:
    """Give a staff member another role (never leaving nobody who can manage staff)."""
    from clientkeep.staff import accounts

    c = container()
    with cli_errors():
        member = accounts.set_role(
            username, role, uow=c.uow(), actor=cli_actor(), policy=c.policy, clock=c.clock
        )
    _changed("role set for", member, c.clock.now(), as_json=as_json)


@user_app.command("reset-password")
def reset_password(
    username: str,
    password_stdin: bool = typer.Option(
        False, "--password-stdin", help="Read the temporary password from standard input."
    ),
    as_json: bool = _JSON,
) -> None:
    """Give a staff member a temporary password, which they must replace at their next
    sign-in. Ends their web sessions; their API tokens stay valid."""
    from clientkeep.staff import accounts

    c = container()
    password = read_password(from_stdin=password_stdin, prompt="Temporary password")
    with cli_errors():
        member = accounts.reset_password(
            username,
            password,
            uow=c.uow(),
            actor=cli_actor(),
            policy=c.policy,
            clock=c.clock,
            hasher=c.hasher,
        )
    _changed("password reset for", member, c.clock.now(), as_json=as_json)


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
    as_json: bool = typer.Option(
        False, "--json", help="The token's details as `token list` shows them, and its secret."
    ),
) -> None:
    """Create an API token for yourself, as USERNAME: asks for your password, then prints
    only the token, once. A token acts as its holder, so nobody makes one for someone else."""
    from clientkeep.staff import authentication
    from clientkeep.staff import services as staff

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
    if as_json:
        print_json({**token_json(new.token), "secret": new.secret})
        return
    typer.echo(new.secret)


def token_json(t: ApiToken) -> dict[str, str | None]:
    """A token as every command's ``--json`` shows it: never its secret or hash."""
    return {
        "id": t.id,
        "label": t.label,
        "created_at": t.created_at.isoformat(),
        "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
        "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
    }


@token_app.command("list")
def list_tokens(username: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """List a staff member's tokens (never the secrets)."""
    from rich.table import Table

    from clientkeep.staff import services as staff

    c = container()
    with cli_errors():
        tokens = staff.list_tokens(username, uow=c.uow(), actor=cli_actor(), policy=c.policy)
    rows = [token_json(t) for t in tokens]
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
def revoke(
    token_id: str,
    as_json: bool = typer.Option(False, "--json", help="The token as `token list` shows it."),
) -> None:
    """Revoke an API token by its id (tok_...)."""
    from clientkeep.staff import services as staff

    c = container()
    with cli_errors():
        token = staff.revoke_token(
            token_id, uow=c.uow(), actor=cli_actor(), policy=c.policy, clock=c.clock
        )
    if as_json:
        print_json(token_json(token))
        return
    out.print(f"revoked {token.id}", highlight=False)
