"""`clientkeep keys rotate|status`: master-key rotation and the state of the key store.

Deliberately needs only the settings and the key store (not the policy or the main database),
so keys can be looked after even when the rest of the installation is broken.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from clientkeep.adapters.crypto.admin import key_status, plan_rotation
from clientkeep.adapters.crypto.errors import KeystoreError
from clientkeep.adapters.crypto.master_keys import MasterKeyError
from clientkeep.config import ConfigError, load_settings

app = typer.Typer(help="Master key rotation and key store status.", no_args_is_help=True)
out = Console(highlight=False, markup=False)
err = Console(stderr=True, highlight=False)


def _fail(message: str) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    raise typer.Exit(1)


@contextmanager
def _errors() -> Iterator[None]:
    # One line and exit 1, never a traceback: these messages never carry key material.
    try:
        yield
    except (ConfigError, MasterKeyError, KeystoreError) as exc:
        _fail(str(exc))


def _versions(counts: dict[int, int]) -> str:
    return ", ".join(f"v{v}: {n}" for v, n in sorted(counts.items())) or "none"


@app.command("rotate")
def rotate(
    batch_size: int = typer.Option(500, "--batch-size", min=1, help="Keys re-wrapped per commit."),
) -> None:
    """Re-wrap every data key and system secret under a new master key version."""
    with _errors():
        plan = plan_rotation(load_settings())
        try:
            if plan.added_version:
                out.print(f"added master key version {plan.target_version} to the key file")
            elif plan.source == "file":
                out.print(f"resuming an unfinished rotation to version {plan.target_version}")
            with Progress(
                TextColumn("re-wrapping"),
                BarColumn(),
                MofNCompleteColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("rotate", total=plan.pending)
                report = plan.store.rotate(
                    batch_size, lambda done, total: bar.update(task, completed=done, total=total)
                )
        finally:
            plan.store.close()
    out.print(
        f"re-wrapped {report.data_keys_rewrapped} data keys and {report.secrets_rewrapped} "
        f"secrets to master key version {report.target_version}"
    )
    out.print(f"data keys by version: {_versions(report.data_keys_by_version)}")
    out.print(f"secrets by version: {_versions(report.secrets_by_version)}")


@app.command("status")
def status(as_json: bool = typer.Option(False, "--json", help="Machine-readable output.")) -> None:
    """Show how many keys use each master key version, and where the master key comes from."""
    with _errors():
        state = key_status(load_settings())
    if as_json:
        typer.echo(json.dumps(state.as_json(), indent=2))
        return
    source = "key file" if state.source == "file" else "CLIENTKEEP_MASTER_KEY"
    out.print(
        f"master key from {source}; versions {state.versions}, current {state.current_version}"
    )
    out.print(f"data keys by version: {_versions(state.data_keys_by_version)}")
    out.print(f"secrets by version: {_versions(state.secrets_by_version)}")
    out.print(f"destroyed (crypto-shredded) customers: {state.destroyed}")
    if state.pending:
        out.print(
            f"{state.pending} keys are not on version {state.current_version}: "
            "run `clientkeep keys rotate` to finish"
        )
