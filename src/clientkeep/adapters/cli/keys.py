"""`clientkeep keys rotate|status|sweep`: master-key rotation and the state of the key store.

Rotation needs only the settings and the key store (not the policy or the main database), so
keys can be looked after even when the rest of the installation is broken. Pending
destructions and orphaned keys need the main database too: status says so when it is missing.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from clientkeep.adapters.cli._progress import progress

if TYPE_CHECKING:
    from sqlalchemy.exc import DBAPIError

    from clientkeep.adapters.db import key_sweep
    from clientkeep.config import Settings

app = typer.Typer(help="Master key rotation and key store status.", no_args_is_help=True)
out = Console(highlight=False, markup=False)
err = Console(stderr=True, highlight=False)
# key_sweep.GRACE and MIN_GRACE, in minutes, written out so `--help` need not load the
# database layer to show them (a unit test keeps them equal).
GRACE_MINUTES = 60
MIN_GRACE_MINUTES = 10


def _fail(message: str) -> NoReturn:
    err.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True)
    raise typer.Exit(1)


@contextmanager
def _errors() -> Iterator[None]:
    # One line and exit 1, never a traceback: these messages never carry key material.
    from sqlalchemy.exc import DBAPIError

    from clientkeep.adapters.crypto.errors import KeystoreError
    from clientkeep.adapters.crypto.master_keys import MasterKeyError
    from clientkeep.adapters.db import key_sweep
    from clientkeep.config import ConfigError

    try:
        yield
    except (ConfigError, MasterKeyError, KeystoreError, key_sweep.UpkeepError) as exc:
        _fail(str(exc))
    except DBAPIError as exc:
        _fail(f"the main database could not be used ({_kind(exc)})")


def _kind(exc: DBAPIError) -> str:
    # The driver's message may quote SQL parameters (customer ids): name the error only.
    return type(exc.orig).__name__


def _versions(counts: dict[int, int]) -> str:
    return ", ".join(f"v{v}: {n}" for v, n in sorted(counts.items())) or "none"


def _grace_option() -> Any:
    return typer.Option(
        GRACE_MINUTES,
        "--grace-minutes",
        min=MIN_GRACE_MINUTES,
        help="Keys younger than this are never orphans: their registration may be in progress.",
    )


@app.command("rotate")
def rotate(
    batch_size: int = typer.Option(500, "--batch-size", min=1, help="Keys re-wrapped per commit."),
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
) -> None:
    """Re-wrap every data key and system secret under a new master key version."""
    from clientkeep.adapters.crypto.admin import plan_rotation
    from clientkeep.config import load_settings

    with _errors():
        plan = plan_rotation(load_settings())
        try:
            # With --json, the document says so instead (added_version).
            if plan.added_version and not as_json:
                out.print(f"added master key version {plan.target_version} to the key file")
            elif plan.source == "file" and not as_json:
                out.print(f"resuming an unfinished rotation to version {plan.target_version}")
            with progress("Re-wrapping keys", total=plan.pending, unit="keys") as tracker:

                def step(done: int, total: int) -> None:
                    if total != tracker.total:
                        tracker.set_total(total)
                    tracker.update(done)

                report = plan.store.rotate(batch_size, step)
        finally:
            plan.store.close()
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "source": plan.source,
                    "target_version": report.target_version,
                    "added_version": plan.added_version,
                    "data_keys_rewrapped": report.data_keys_rewrapped,
                    "secrets_rewrapped": report.secrets_rewrapped,
                    # As `keys status --json` shows them: version (as text) -> count.
                    "data_keys_by_version": _by_version(report.data_keys_by_version),
                    "secrets_by_version": _by_version(report.secrets_by_version),
                },
                indent=2,
            )
        )
        return
    out.print(
        f"re-wrapped {report.data_keys_rewrapped} data keys and {report.secrets_rewrapped} "
        f"secrets to master key version {report.target_version}"
    )
    out.print(f"data keys by master key version: {_versions(report.data_keys_by_version)}")
    out.print(f"secrets by master key version: {_versions(report.secrets_by_version)}")


def _by_version(counts: dict[int, int]) -> dict[str, int]:
    return {str(v): n for v, n in sorted(counts.items())}


def _upkeep(settings: Settings, grace: timedelta) -> key_sweep.Upkeep:
    """Pending destructions and orphans, or why the main database cannot tell."""
    from sqlalchemy.exc import DBAPIError

    from clientkeep.adapters.crypto.setup import open_keystore
    from clientkeep.adapters.db import key_sweep

    try:
        engine = key_sweep.open_main_database(settings.database_url)
    except key_sweep.UpkeepError as exc:
        return key_sweep.Upkeep(None, None, str(exc))
    except DBAPIError as exc:
        return key_sweep.Upkeep(None, None, f"the main database could not be used ({_kind(exc)})")
    store = open_keystore(settings)
    try:
        return key_sweep.upkeep_status(engine, store, now=datetime.now(UTC), grace=grace)
    finally:
        store.close()
        engine.dispose()


@app.command("status")
def status(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    grace_minutes: int = _grace_option(),
) -> None:
    """Show how many keys use each master key version, where the master key comes from, and
    key destructions still to do."""
    from clientkeep.adapters.crypto.admin import key_status
    from clientkeep.config import load_settings

    with _errors():
        settings = load_settings()
        state = key_status(settings)
        upkeep = _upkeep(settings, timedelta(minutes=grace_minutes))
    pending = upkeep.pending
    if as_json:
        body = state.as_json() | {
            "pending_destructions": None if pending is None else pending.count,
            "orphaned_keys": upkeep.orphaned,
            "upkeep_problem": upkeep.problem,
        }
        typer.echo(json.dumps(body, indent=2))
        return
    source = "key file" if state.source == "file" else "CLIENTKEEP_MASTER_KEY"
    out.print(
        f"master key from {source}; versions {state.versions}, current {state.current_version}"
    )
    out.print(f"data keys by master key version: {_versions(state.data_keys_by_version)}")
    out.print(f"secrets by master key version: {_versions(state.secrets_by_version)}")
    out.print(f"destroyed (crypto-shredded) customers: {state.destroyed}")
    if state.pending:
        out.print(
            f"{state.pending} keys are not on version {state.current_version}: "
            "run `clientkeep keys rotate` to finish"
        )
    if pending is not None:
        oldest = pending.oldest_requested_at
        since = f" (oldest requested {oldest:%Y-%m-%d %H:%M})" if oldest is not None else ""
        out.print(f"pending key destructions: {pending.count}{since}")
    if upkeep.orphaned is not None:
        out.print(f"orphaned data keys (older than {grace_minutes} minutes): {upkeep.orphaned}")
    if (pending is not None and pending.count) or upkeep.orphaned:
        out.print("run `clientkeep keys sweep` to destroy them")
    if upkeep.problem:
        err.print(f"[yellow]note:[/yellow] {escape(upkeep.problem)}", soft_wrap=True)


@app.command("sweep")
def sweep(
    as_json: bool = typer.Option(False, "--json", help="Machine-readable output."),
    grace_minutes: int = _grace_option(),
) -> None:
    """Carry out pending key destructions and destroy orphaned data keys (of customer ids that
    never reached the main database). Safe to run again; exits 1 if any destruction failed."""
    from clientkeep.adapters.crypto.setup import open_keystore
    from clientkeep.adapters.db import key_sweep
    from clientkeep.config import load_settings

    with _errors():
        settings = load_settings()
        engine = key_sweep.open_main_database(settings.database_url)
        try:
            store = open_keystore(settings)
            try:
                swept = key_sweep.sweep(
                    engine, store, now=datetime.now(UTC), grace=timedelta(minutes=grace_minutes)
                )
            finally:
                store.close()
        finally:
            engine.dispose()
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(swept), indent=2))
    else:
        out.print(
            f"carried out {swept.destroyed} pending key destructions; "
            f"{swept.still_pending} still pending"
        )
        out.print(
            f"destroyed {swept.orphans_removed} orphaned data keys "
            f"(older than {grace_minutes} minutes, no customer record)"
        )
    if swept.refused:
        err.print(
            f"[yellow]note:[/yellow] {swept.orphans_left} orphaned keys left alone: "
            f"{escape(swept.refused)}",
            soft_wrap=True,
        )
    if swept.still_pending:
        _fail(f"{swept.still_pending} key destructions failed again and are still pending")
