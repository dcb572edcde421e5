"""What every command shares: loading the container, reading secrets, mapping errors.

Imported by every command module, so by ``clientkeep --help`` too: only the standard library,
typer, rich's console and light modules of ours at the top. The composition root, the
database driver and the crypto adapters are imported by the command that needs them.
"""

from __future__ import annotations

import getpass
import json
import os
import pwd
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console

from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import DomainError, InvalidInput, NotFound, PermissionDenied

if TYPE_CHECKING:
    from clientkeep import bootstrap

out = Console()
err = Console(stderr=True)


def fail(message: str, code: int = 1) -> NoReturn:
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _exit_code(exc: DomainError) -> int:
    if isinstance(exc, InvalidInput):
        return 2
    if isinstance(exc, PermissionDenied):
        return 3
    if isinstance(exc, NotFound):
        return 4
    return 1


@contextmanager
def cli_errors() -> Iterator[None]:
    """The CLI's one error mapping: one line on stderr and a non-zero exit, never a trace."""
    try:
        yield
    except typer.Exit:
        raise
    except InvalidInput as exc:
        fail("; ".join(f"{field}: {message}" for field, message in exc.errors), 2)
    except DomainError as exc:
        fail(_policy_invalid(exc) or exc.message, _exit_code(exc))
    except Exception as exc:
        described = _described(exc)
        if described is None:
            raise
        fail(described)


def _policy_invalid(exc: DomainError) -> str | None:
    # Its problems may be many: the line points at the command that lists them.
    if "clientkeep.policy.errors" not in sys.modules:
        return None
    from clientkeep.policy.errors import PolicyInvalid

    if not isinstance(exc, PolicyInvalid):
        return None
    return (
        f"the policy is not valid ({len(exc.problems)} problems): run `clientkeep policy "
        "check FILE` to list them"
    )


def _described(exc: Exception) -> str | None:
    """The one line for an error from outside the domain, or None for one we do not expect.

    The modules defining these errors are imported here, on the way out, not at start-up: an
    error of a module that was never imported cannot have been raised.
    """
    from clientkeep.config import ConfigError

    if isinstance(exc, ConfigError):
        return str(exc)
    if "clientkeep.adapters.crypto.master_keys" in sys.modules:
        from clientkeep.adapters.crypto.master_keys import MasterKeyError

        if isinstance(exc, MasterKeyError):
            return str(exc)
    if "clientkeep.adapters.crypto.errors" in sys.modules:
        from clientkeep.adapters.crypto.errors import KeystoreError

        if isinstance(exc, KeystoreError):
            return str(exc)
    if "sqlalchemy" in sys.modules:
        from sqlalchemy.exc import DBAPIError

        if isinstance(exc, DBAPIError):
            # The driver's message may quote SQL parameters, which can hold personal data.
            return (
                f"the database could not be used ({type(exc.orig).__name__}); check "
                "CLIENTKEEP_DATABASE_URL and that the server is running"
            )
    return None


def container(**kwargs: Any) -> bootstrap.Container:
    with cli_errors():
        from clientkeep import bootstrap
        from clientkeep.config import load_settings

        return bootstrap.build(load_settings(), **kwargs)


# The audit trail's actor id and credential columns hold 64 characters.
_CREDENTIAL_MAX = 64


def os_user() -> str:
    """The operating-system account running this command, printable and short enough."""
    try:
        # The account of the process's user id, which the person at the terminal cannot
        # restate; getpass.getuser() reads $USER and its kin first, which anyone can set.
        user = pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:  # a user id with no passwd entry (some containers)
        user = f"uid-{os.geteuid()}"
    cleaned = "".join(ch if ch.isprintable() and not ch.isspace() else "?" for ch in user)
    return cleaned[: _CREDENTIAL_MAX - len("cli:")] or "?"


def cli_credential() -> str:
    """``cli:<os user>``: every event a CLI command makes says who really ran it, also when
    it acts as a member of staff (``--as``)."""
    return f"cli:{os_user()}"


def cli_actor() -> Actor:
    # Whoever runs the CLI holds the data directory and its key, so acts as the system; the
    # audit trail still records which operating-system account it was.
    credential = cli_credential()
    return Actor(id=credential, name=os_user(), role="system", credential=credential)


def read_password(*, from_stdin: bool, prompt: str = "Password") -> str:
    if from_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            fail("no password on standard input", 2)
        return password
    if not sys.stdin.isatty():
        fail("no terminal to prompt on: pass the password with --password-stdin", 2)
    first = getpass.getpass(f"{prompt}: ")
    if getpass.getpass(f"{prompt} (again): ") != first:
        fail("the two passwords differ", 2)
    return first


def print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


def run(fn: Callable[[], Any]) -> Any:
    with cli_errors():
        return fn()
