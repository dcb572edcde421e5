"""`clientkeep user second-factor-status` and `clientkeep user reset-second-factor`.

Plain functions, registered on the `user` command group by the CLI's composition:

    user_app.command("second-factor-status")(staff_second_factor.second_factor_status)
    user_app.command("reset-second-factor")(staff_second_factor.reset_second_factor)

Only the standard library, typer and the CLI's common module at the top, so `--help` stays
fast; the domain and the composition root are imported by the command that runs.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import typer

from clientkeep.adapters.cli._common import cli_actor, cli_errors, container, fail, out, print_json

if TYPE_CHECKING:
    from clientkeep.staff.second_factor import Status


def status_json(status: Status) -> dict[str, object]:
    """A member's second factor as both commands' ``--json`` shows it."""
    return {
        "username": status.username,
        "enabled": status.enabled,
        "enrolling": status.enrolling,
        "required_by_policy": status.required,
        "recovery_codes_left": status.recovery_codes_left,
        "enabled_at": status.enabled_at.isoformat() if status.enabled_at else None,
    }


def _describe(status: Status) -> str:
    state = "on" if status.enabled else ("being set up" if status.enrolling else "off")
    line = f"{status.username}: second factor {state}"
    if status.enabled:
        line += f", {status.recovery_codes_left} recovery codes left"
    if status.required:
        line += " (required by policy)"
    return line


def second_factor_status(
    username: str,
    as_json: bool = typer.Option(False, "--json", help="Print the status as JSON."),
) -> None:
    """Show whether a staff member's second factor is on, and their recovery codes left."""
    from clientkeep.staff import second_factor

    c = container()
    with cli_errors():
        status = second_factor.status_of(username, uow=c.uow(), actor=cli_actor(), policy=c.policy)
    if as_json:
        print_json(status_json(status))
        return
    out.print(_describe(status), highlight=False)


def reset_second_factor(
    username: str,
    yes: bool = typer.Option(False, "--yes", help="Reset without asking to confirm."),
    as_json: bool = typer.Option(False, "--json", help="Print the status afterwards as JSON."),
) -> None:
    """Remove a staff member's second factor and recovery codes (a lost phone).

    Their web sessions end; they next sign in with their password alone, or set up a new
    second factor where their role requires one. Asks to confirm unless --yes is given.
    """
    from clientkeep.staff import second_factor

    c = container()
    actor = cli_actor()
    with cli_errors():
        before = second_factor.status_of(username, uow=c.uow(), actor=actor, policy=c.policy)
    if not yes:
        if not sys.stdin.isatty():
            fail("no terminal to confirm on: pass --yes to reset the second factor", 2)
        prompt = f"Reset the second factor of {before.username}? Their web sessions end now"
        if not typer.confirm(prompt, default=False):
            fail("nothing changed", 1)
    with cli_errors():
        second_factor.reset(username, uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock)
        after = second_factor.status_of(username, uow=c.uow(), actor=actor, policy=c.policy)
    if as_json:
        print_json(status_json(after))
    elif before.enabled or before.enrolling:
        out.print(
            f"reset the second factor of {after.username}; their web sessions ended",
            highlight=False,
        )
    else:
        out.print(f"{after.username} has no second factor; nothing changed", highlight=False)
