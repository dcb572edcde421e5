"""`clientkeep serve` and `clientkeep demo`: run the web UI and REST API with uvicorn."""

from __future__ import annotations

import dataclasses
import os
import secrets

import typer
import uvicorn
from fastapi import FastAPI
from rich.progress import Progress

from clientkeep import bootstrap, synthetic
from clientkeep.adapters.cli._common import cli_actor, cli_credential, cli_errors, container, out
from clientkeep.adapters.db import key_sweep
from clientkeep.adapters.http.app import create_app
from clientkeep.customers import bulk
from clientkeep.matching import book_scan
from clientkeep.staff import authentication
from clientkeep.staff import services as staff

DEMO_ROLES = ("agent", "supervisor", "dpo")


def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Server processes (one per core suits most)."
    ),
) -> None:
    """Serve the staff web UI and the REST API (OpenAPI at /docs)."""
    c = container()
    with cli_errors():
        bootstrap.check_ready(c)
        _carry_out_pending_destructions(c)
    log_level = c.settings.log_level.lower()
    if workers == 1:
        uvicorn.run(create_app(c), host=host, port=port, log_level=log_level, server_header=False)
        return
    # Each process builds its own container (engines, key cache) from the same environment.
    c.close()
    uvicorn.run(
        "clientkeep.adapters.cli.serve:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level=log_level,
        server_header=False,
    )


def _carry_out_pending_destructions(c: bootstrap.Container) -> None:
    """Key destructions left pending (the key store was down when their change committed)
    are retried before serving; any that fail again stay pending, and serving goes ahead."""
    carried = key_sweep.carry_out_pending(c.engine, c.keystore)
    if carried.done or carried.still_pending:
        out.print(
            f"carried out {carried.done} pending key destructions; "
            f"{carried.still_pending} still pending (see `clientkeep keys status`)",
            highlight=False,
        )


def app_from_environment() -> FastAPI:
    """The app as one of several server processes builds it: from the environment."""
    c = container()
    bootstrap.check_ready(c)
    return create_app(c)


def demo(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    customers: int = typer.Option(
        200, "--customers", min=0, max=1_000_000, help="Synthetic customers to load the first time."
    ),
) -> None:
    """Set up a demo installation (if there is none) with one account per role and synthetic
    customers, then serve."""
    c = container()
    c = dataclasses.replace(c, settings=dataclasses.replace(c.settings, insecure_cookies=True))
    credentials = c.settings.data_dir / "demo-credentials.txt"
    with cli_errors():
        if not credentials.exists():
            _create_demo(c, credentials)
            _load_customers(c, customers)
        bootstrap.check_ready(c)
        _carry_out_pending_destructions(c)
    out.print(f"[bold]clientkeep demo[/bold] on http://{host}:{port}/  (API docs: /docs)")
    out.print(f"Demo sign-ins (also in {credentials}):", highlight=False)
    out.print(credentials.read_text(), highlight=False)
    uvicorn.run(
        create_app(c),
        host=host,
        port=port,
        log_level=c.settings.log_level.lower(),
        server_header=False,
    )


def _load_customers(c: bootstrap.Container, count: int) -> None:
    """Bulk-register synthetic customers (a few of them injected duplicates for the review
    queue) as the demo supervisor, who may record accessibility needs given with consent."""
    with c.uow() as uow:
        member = uow.staff.by_username("demo.supervisor")
    if member is None or count == 0:
        return
    actor = authentication.actor_for(member, cli_credential(), None)
    rows = (
        bulk.ImportRow(r.fields, r.explicit_consent)
        for r in synthetic.generate(count, seed=2026, duplicate_rate=0.02)
    )
    with Progress(transient=True) as progress:
        task = progress.add_task("Loading synthetic customers", total=count)
        bulk.import_customers(
            bulk.ImportCustomers(purpose=c.policy.default_purpose, source="import", batch_size=500),
            rows,
            uow=c.uow,
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            on_batch=lambda done, _ids: progress.update(task, completed=done),
        )
    # An import checks no row for duplicates: the scan puts the planted ones in the queue.
    book_scan.scan_book(uow_factory=c.uow, actor=actor, policy=c.policy, clock=c.clock)


def _create_demo(c: bootstrap.Container, credentials: os.PathLike[str]) -> None:
    lines = []
    admin_password = secrets.token_urlsafe(12)
    bootstrap.initialise(
        c, admin_username="admin", admin_password=admin_password, actor=cli_actor()
    )
    lines.append(f"{'admin':<16} {admin_password}")
    for role in DEMO_ROLES:
        password = secrets.token_urlsafe(12)
        staff.add_staff(
            staff.AddStaff(
                username=f"demo.{role}",
                role=role,
                password=password,
                display_name=f"Demo {role.title()}",
            ),
            uow=c.uow(),
            actor=cli_actor(),
            policy=c.policy,
            clock=c.clock,
            hasher=c.hasher,
        )
        lines.append(f"{'demo.' + role:<16} {password}")
    fd = os.open(credentials, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write("\n".join(lines) + "\n")
