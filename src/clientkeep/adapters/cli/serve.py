"""`clientkeep serve` and `clientkeep demo`: run the web UI and REST API with uvicorn."""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from clientkeep.adapters.cli._common import (
    cli_actor,
    cli_credential,
    cli_errors,
    container,
    fail,
    out,
)
from clientkeep.adapters.cli._progress import progress

if TYPE_CHECKING:
    from fastapi import FastAPI

    from clientkeep import bootstrap, synthetic
    from clientkeep.customers import bulk

DEMO_ROLES = ("agent", "supervisor", "dpo")
DEMO_CUSTOMERS = 200
# One seed, so every demo holds the same synthetic people and the same planted duplicates.
DEMO_SEED = 2026


def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Server processes (one per core suits most)."
    ),
) -> None:
    """Serve the staff web UI and the REST API (OpenAPI at /docs)."""
    import uvicorn

    from clientkeep import bootstrap
    from clientkeep.adapters.http.app import create_app

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
    from clientkeep.adapters.db import key_sweep

    carried = key_sweep.carry_out_pending(c.engine, c.keystore)
    if carried.done or carried.still_pending:
        out.print(
            f"carried out {carried.done} pending key destructions; "
            f"{carried.still_pending} still pending (see `clientkeep keys status`)",
            highlight=False,
        )


def app_from_environment() -> FastAPI:
    """The app as one of several server processes builds it: from the environment."""
    from clientkeep import bootstrap
    from clientkeep.adapters.http.app import create_app

    c = container()
    bootstrap.check_ready(c)
    return create_app(c)


def demo(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    customers: int | None = typer.Option(
        None,
        "--customers",
        min=0,
        max=1_000_000,
        help=f"Synthetic customers to load when the demo is set up (default {DEMO_CUSTOMERS}).",
    ),
) -> None:
    """Set up a demo installation (if there is none) with one account per role and synthetic
    customers, then serve."""
    import uvicorn

    from clientkeep import bootstrap
    from clientkeep.adapters.http.app import create_app

    c = container()
    outbox = c.settings.outbox
    if outbox.email_sender == "none" and outbox.sms_sender == "none":
        # The demo sends nothing: its messages are marked delivered, to be read on the
        # Messages page.
        outbox = dataclasses.replace(outbox, email_sender="demo", sms_sender="demo")
    settings = dataclasses.replace(c.settings, insecure_cookies=True, outbox=outbox)
    c = dataclasses.replace(c, settings=settings)
    credentials = c.settings.data_dir / "demo-credentials.txt"
    loaded_file = c.settings.data_dir / "demo-loaded.json"
    with cli_errors():
        if credentials.exists():
            loaded = DemoLoad.read(loaded_file)
            if customers is not None and (loaded is None or loaded.asked != customers):
                fail(_already_set_up(c, customers, loaded), 2)
        else:
            _create_demo(c, credentials)
            loaded = _load_customers(c, DEMO_CUSTOMERS if customers is None else customers)
            loaded.write(loaded_file)
        bootstrap.check_ready(c)
        _carry_out_pending_destructions(c)
    site = f"http://{host}:{port}"
    out.print(f"[bold]clientkeep demo[/bold] on {site}/  (API docs: {site}/docs)")
    if loaded is not None:
        _print_what_was_loaded(loaded, site)
    _print_sign_ins(credentials, site)
    uvicorn.run(
        create_app(c),
        host=host,
        port=port,
        log_level=c.settings.log_level.lower(),
        server_header=False,
    )


@dataclasses.dataclass
class DemoLoad:
    """What the demo loaded when it was set up, kept beside its sign-ins so a later start can
    say it again and tell a different ``--customers`` from the same one."""

    asked: int
    customers: int = 0
    refused: int = 0
    planted_duplicates: int = 0
    in_review_queue: int = 0
    # The synthetic history given to some of them (see _demo_activity).
    contacts: int = 0
    follow_ups: int = 0
    complaints: int = 0
    answers: int = 0
    # Synthetic people to search for: "name <email>", and one planted duplicate.
    to_try: list[str] = dataclasses.field(default_factory=list)

    def write(self, path: Path) -> None:
        # Synthetic names only, but the file sits beside the sign-ins: private to its owner.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(dataclasses.asdict(self), fh, indent=2)

    @classmethod
    def read(cls, path: Path) -> DemoLoad | None:
        """None for a demo set up before clientkeep kept this record."""
        try:
            return cls(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError):
            return None


def _already_set_up(c: bootstrap.Container, asked: int, loaded: DemoLoad | None) -> str:
    where = c.settings.data_dir
    holds = (
        f"already holds the {loaded.asked:,} synthetic customers it was set up with"
        if loaded is not None
        else "is already set up"
    )
    fresh = (
        f"remove {where}"
        if c.settings.is_sqlite
        else (f"remove {where} and empty the database at CLIENTKEEP_DATABASE_URL")
    )
    return (
        f"the demo in {where} {holds}; --customers {asked:,} applies only when a demo is set "
        f"up. Run `clientkeep demo` without --customers to use this one, or {fresh} and run "
        f"`clientkeep demo --customers {asked}` to start afresh"
    )


def _print_what_was_loaded(loaded: DemoLoad, site: str) -> None:
    refused = f" ({loaded.refused:,} refused by the policy)" if loaded.refused else ""
    out.print(
        f"Loaded when set up: {loaded.customers:,} synthetic customers{refused}, "
        f"{loaded.planted_duplicates:,} of them planted duplicates; the duplicate scan put "
        f"{loaded.in_review_queue:,} likely pairs in the review queue ({site}/review).",
        highlight=False,
    )
    if loaded.contacts:
        out.print(
            f"Their history: {loaded.contacts:,} contacts ({loaded.follow_ups:,} needing a "
            f"follow-up, {site}/follow-ups), {loaded.complaints:,} complaints "
            f"({site}/complaints) and {loaded.answers:,} satisfaction answers "
            f"({site}/reports/satisfaction).",
            highlight=False,
        )
    if loaded.to_try:
        out.print(f"Search for these at {site}/customers (all synthetic):", highlight=False)
        for line in loaded.to_try:
            out.print(f"  {line}", highlight=False, soft_wrap=True)


def _print_sign_ins(credentials: Path, site: str) -> None:
    out.print(f"Sign in at {site}/sign-in as (also in {credentials}):", highlight=False)
    out.print(f"  {'username':<16} {'role':<11} password", highlight=False)
    for line in credentials.read_text().splitlines():
        username, password = line.split()
        role = username.removeprefix("demo.")
        out.print(f"  {username:<16} {role:<11} {password}", highlight=False, soft_wrap=True)
    out.print(
        f"For the REST API, sign in and make a token at {site}/staff/tokens; send it as "
        "`Authorization: Bearer <token>`.",
        highlight=False,
    )


def _load_customers(c: bootstrap.Container, count: int) -> DemoLoad:
    """Bulk-register synthetic customers (a few of them injected duplicates for the review
    queue) as the demo supervisor, who may record accessibility needs given with consent."""
    from clientkeep import synthetic
    from clientkeep.customers import bulk
    from clientkeep.matching import book_scan
    from clientkeep.staff import authentication

    loaded = DemoLoad(asked=count)
    with c.uow() as uow:
        member = uow.staff.by_username("demo.supervisor")
    if member is None or count == 0:
        return loaded
    actor = authentication.actor_for(member, cli_credential(), None)
    to_try: list[tuple[int, str]] = []
    made: list[str] = []
    rows = _noting(synthetic.generate(count, seed=DEMO_SEED, duplicate_rate=0.02), loaded, to_try)
    with progress("Loading synthetic customers", total=count, unit="customers") as tracker:

        def batch_done(done: int, ids: list[str | None]) -> None:
            made.extend(i for i in ids if i)
            tracker.update(done)

        report = bulk.import_customers(
            bulk.ImportCustomers(purpose=c.policy.default_purpose, source="import", batch_size=500),
            rows,
            uow=c.uow,
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            on_batch=batch_done,
        )
    # An import checks no row for duplicates: the scan puts the planted ones in the queue.
    with progress("Finding duplicates", unit="pairs compared") as scanning:
        scan = book_scan.scan_book(
            uow_factory=c.uow,
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            progress=lambda p: scanning.update(p.pairs_compared, share=p.done),
        )
    refused_rows = {r.row for r in report.rejected}
    loaded.customers, loaded.refused = report.imported, report.rejected_count
    loaded.in_review_queue = scan.suspects_recorded
    loaded.to_try = [line for row, line in to_try if row not in refused_rows]
    _load_history(c, made, loaded)
    return loaded


def _load_history(c: bootstrap.Container, customer_ids: list[str], loaded: DemoLoad) -> None:
    """Contacts, complaints and feedback for some of the customers, by the demo's agent and
    supervisor, so every screen of the day's work has something to show."""
    from clientkeep.adapters.cli._demo_activity import WITH_HISTORY, load_activity
    from clientkeep.staff import authentication

    staff = []
    with c.uow() as uow:
        for username in ("demo.agent", "demo.supervisor"):
            member = uow.staff.by_username(username)
            if member is not None:
                staff.append(authentication.actor_for(member, cli_credential(), None))
    total = min(WITH_HISTORY, len(customer_ids))
    with progress("Giving customers a history", total=total, unit="customers") as tracker:
        activity = load_activity(c, customer_ids, staff, seed=DEMO_SEED, done=tracker.update)
    loaded.contacts, loaded.follow_ups = activity.contacts, activity.follow_ups
    loaded.complaints, loaded.answers = activity.complaints, activity.answers


_NAMES_TO_TRY = 3
_CHANGES = {
    "typo": "a typo in the name",
    "swapped_names": "given and family names swapped",
    "nickname": "a nickname",
    "phone_reformatted": "the phone number written another way",
    "missing_fields": "some details left out",
    "email_domain": "another email domain",
}


def _noting(
    records: Iterator[synthetic.SyntheticCustomer],
    loaded: DemoLoad,
    to_try: list[tuple[int, str]],
) -> Iterator[bulk.ImportRow]:
    """The rows to import, counting the planted duplicates and noting a few people to search
    for, each with its 1-based row, to leave out any the import refuses."""
    from clientkeep.customers import bulk

    # Every name up to the first duplicate, to name the record it copies: it comes early.
    names: dict[str, str] | None = {}
    for row, record in enumerate(records, start=1):
        name = f"{record.fields['given_name']} {record.fields['family_name']}"
        if record.duplicate_of is not None:
            loaded.planted_duplicates += 1
            if names is not None:
                copied = names.get(record.duplicate_of, "an earlier customer")
                change = _CHANGES.get(record.variation or "", "changed")
                to_try.append((row, f"{name}  (a planted duplicate of {copied}: {change})"))
                names = None
        elif names is not None:
            names[record.key] = name
            if len(to_try) < _NAMES_TO_TRY and "email" in record.fields:
                to_try.append((row, f"{name}  {record.fields['email']}"))
        yield bulk.ImportRow(record.fields, record.explicit_consent)


def _create_demo(c: bootstrap.Container, credentials: os.PathLike[str]) -> None:
    from clientkeep import bootstrap
    from clientkeep.staff import services as staff

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
