"""What every command shares: loading the container, reading secrets, mapping errors."""

from __future__ import annotations

import getpass
import json
import os
import pwd
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console
from sqlalchemy.exc import DBAPIError

from clientkeep import bootstrap
from clientkeep.adapters.crypto.keystore import KeystoreError
from clientkeep.adapters.crypto.master_keys import MasterKeyError
from clientkeep.config import ConfigError, load_settings
from clientkeep.policy.errors import PolicyInvalid
from clientkeep.shared.actor import Actor
from clientkeep.shared.errors import DomainError, InvalidInput, NotFound, PermissionDenied

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
    except InvalidInput as exc:
        fail("; ".join(f"{field}: {message}" for field, message in exc.errors), 2)
    except PolicyInvalid as exc:
        fail(
            f"the policy is not valid ({len(exc.problems)} problems): run `clientkeep policy "
            "check FILE` to list them"
        )
    except DomainError as exc:
        fail(exc.message, _exit_code(exc))
    except (ConfigError, MasterKeyError, KeystoreError) as exc:
        fail(str(exc))
    except DBAPIError as exc:
        # The driver's message may quote SQL parameters, which can hold personal data.
        fail(
            f"the database could not be used ({type(exc.orig).__name__}); check "
            "CLIENTKEEP_DATABASE_URL and that the server is running"
        )


def container(**kwargs: Any) -> bootstrap.Container:
    with cli_errors():
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
