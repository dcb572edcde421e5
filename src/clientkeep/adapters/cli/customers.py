"""`clientkeep customer ...`: customer records, worked as a named member of staff.

Each command acts as the staff member named by ``--as`` (or CLIENTKEEP_AS), with that
person's role, so the policy and the audit trail treat it as them; every event also names
the operating-system account that ran the command (credential "cli:<account>").
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.text import Text

from clientkeep import bootstrap
from clientkeep.adapters.cli import _customer_render as render
from clientkeep.adapters.cli._common import (
    cli_actor,
    cli_errors,
    container,
    err,
    fail,
    out,
    print_json,
)
from clientkeep.customers import merge as merging
from clientkeep.customers import review
from clientkeep.customers import services as customers
from clientkeep.customers.views import CustomerView
from clientkeep.matching import book_scan
from clientkeep.matching import search as matching
from clientkeep.shared.actor import Actor
from clientkeep.staff.authentication import actor_for

app = typer.Typer(
    help="Customer records: add, find, show, correct, confirm, merge.", no_args_is_help=True
)

AsUser = Annotated[
    str,
    typer.Option(
        "--as",
        envvar="CLIENTKEEP_AS",
        metavar="USERNAME",
        help="The member of staff acting; their role decides what they may see and do.",
    ),
]
Purpose = Annotated[
    str,
    typer.Option(
        "--purpose", help="Why the record is used: a purpose from the policy (service, billing...)."
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
Fields = Annotated[
    list[str] | None,
    typer.Option(
        "--field", metavar="NAME=VALUE", help="A field and its value; repeat for each field."
    ),
]
Consent = Annotated[
    list[str] | None,
    typer.Option(
        "--explicit-consent",
        metavar="NAME",
        help="A special-category field the customer explicitly consented to us holding.",
    ),
]
Confirmed = Annotated[
    bool,
    typer.Option("--confirmed", help="The values were read back to the customer and they agreed."),
]
Reason = Annotated[str, typer.Option("--reason", help="Why the record is being changed.")]


def acting_as(c: bootstrap.Container, username: str) -> Actor:
    """The active staff member called ``username``, as an actor using the CLI.

    Whoever holds the data directory may name anyone, so every event records, as the
    credential, the operating-system account that really ran the command.
    """
    with cli_errors(), c.uow().reading() as uow:
        member = uow.staff.by_username(username.strip().lower())
    if member is None or not member.active:
        fail("No active staff member has the username given by --as (or CLIENTKEEP_AS).", 4)
    with cli_errors():  # a row whose role is called "system" is refused, in one line
        return actor_for(member, cli_actor().credential, None)


def parse_fields(items: list[str] | None) -> dict[str, str]:
    """``NAME=VALUE`` pairs; a bad one is named by position, never echoed (it may be personal)."""
    parsed: dict[str, str] = {}
    for n, item in enumerate(items or [], start=1):
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            fail(f"--field: item {n} is not NAME=VALUE (for example --field email=...)", 2)
        if name in parsed:
            fail(f"fields.{name}: given more than once", 2)
        parsed[name] = value
    return parsed


def _emit(view: CustomerView, *, as_json: bool) -> None:
    if as_json:
        print_json(render.view_json(view))
    else:
        render.show_view(view)


@app.command("add")
def add(
    as_user: AsUser,
    purpose: Purpose,
    source: Annotated[
        str,
        typer.Option(
            "--source", help="How the details came: phone, email, in_person, web, post, import."
        ),
    ],
    field: Fields = None,
    confirmed: Confirmed = False,
    explicit_consent: Consent = None,
    idempotency_key: Annotated[
        str | None,
        typer.Option(
            "--idempotency-key", help="Repeat a run safely: the same key and details add once."
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Register a customer; warns of records that may be the same person."""
    fields = parse_fields(field)
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        done = customers.register(
            customers.RegisterCustomer(
                purpose=purpose,
                fields=fields,
                source=source,
                confirmed_with_customer=confirmed,
                explicit_consent=frozenset(explicit_consent or ()),
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            duplicates=c.duplicate_finder,
            idempotency_key=idempotency_key,
        )
    if as_json:
        print_json(
            {
                **render.view_json(done.customer),
                "replayed": done.replayed,
                "possible_duplicates": render.matches_json(done.possible_duplicates),
            }
        )
        return
    verb = "already added (same idempotency key)" if done.replayed else "added"
    out.print(Text(f"{verb} {done.customer.display_name} as {done.customer.id}"))
    render.show_view(done.customer)
    if done.possible_duplicates:
        render.show_matches(
            done.possible_duplicates,
            style="bold yellow",
            title="Warning: possible duplicates (a supervisor can merge them)",
        )


@app.command("show")
def show(customer_id: str, as_user: AsUser, purpose: Purpose, as_json: AsJson = False) -> None:
    """Show what PURPOSE uses of a record, as far as your role may see it."""
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        view = customers.read(
            customer_id, purpose=purpose, uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock
        )
    _emit(view, as_json=as_json)


@app.command("find")
def find(
    as_user: AsUser,
    purpose: Purpose,
    query: Annotated[
        str | None,
        typer.Argument(help="Anything: clientkeep guesses whether it is an email, phone, name..."),
    ] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    postcode: Annotated[str | None, typer.Option("--postcode")] = None,
    name: Annotated[str | None, typer.Option("--name", help="Finds similar names too.")] = None,
    reference: Annotated[str | None, typer.Option("--reference")] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many (1-50).")] = 10,
    as_json: AsJson = False,
) -> None:
    """Find customers by exactly one of --email, --phone, --postcode, --name, --reference, QUERY."""
    given = [
        (kind, text)
        for kind, text in (
            ("email", email),
            ("phone", phone),
            ("postcode", postcode),
            ("name", name),
            ("reference", reference),
            ("any", query),
        )
        if text is not None
    ]
    if len(given) != 1:
        fail("give exactly one of --email, --phone, --postcode, --name, --reference or QUERY", 2)
    kind, text = given[0]
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        found = matching.search(
            matching.SearchQuery(purpose, kind, text, limit),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
        )
    if as_json:
        print_json({"kind": found.kind, "matches": render.matches_json(found.matches)})
        return
    render.show_matches(found.matches, title=f"{len(found.matches)} found by {found.kind}")


@app.command("update")
def update(
    customer_id: str,
    as_user: AsUser,
    purpose: Purpose,
    reason: Reason,
    field: Fields = None,
    remove: Annotated[
        list[str] | None,
        typer.Option("--remove", metavar="NAME", help="A field whose value to remove; repeatable."),
    ] = None,
    source: Annotated[str, typer.Option("--source", help="How the new details came.")] = "phone",
    confirmed: Confirmed = False,
    explicit_consent: Consent = None,
    as_json: AsJson = False,
) -> None:
    """Correct a record; the history keeps who, when, why and the old value."""
    changes: dict[str, str | None] = {**parse_fields(field)}
    for name in remove or []:
        if name in changes:
            fail(f"fields.{name}: both set and removed", 2)
        changes[name] = None
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        view = customers.update(
            customer_id,
            customers.UpdateCustomer(
                purpose=purpose,
                fields=changes,
                reason=reason,
                source=source,
                confirmed_with_customer=confirmed,
                explicit_consent=frozenset(explicit_consent or ()),
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    _emit(view, as_json=as_json)


@app.command("history")
def history(customer_id: str, as_user: AsUser, purpose: Purpose, as_json: AsJson = False) -> None:
    """Every change to the fields PURPOSE shows you, newest first."""
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        changes = customers.history(
            customer_id, purpose=purpose, uow=c.uow(), actor=actor, policy=c.policy
        )
    if as_json:
        print_json(render.history_json(changes))
        return
    render.show_history(changes, policy=c.policy, customer_id=customer_id)


@app.command("confirm")
def confirm(
    customer_id: str,
    as_user: AsUser,
    purpose: Purpose,
    method: Annotated[
        str, typer.Option("--method", help=f"How: {', '.join(customers.CONFIRM_METHODS)}.")
    ],
    field: Annotated[
        list[str] | None,
        typer.Option("--field", metavar="NAME", help="A field the customer confirmed; repeatable."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Record that the customer said these details are still right."""
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        view = customers.confirm(
            customer_id,
            list(field or []),
            method,
            purpose=purpose,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    _emit(view, as_json=as_json)


@app.command("merge")
def merge(
    survivor_id: str,
    as_user: AsUser,
    duplicate: Annotated[str, typer.Option("--duplicate", metavar="DUP_ID")],
    reason: Reason,
    take: Annotated[
        list[str] | None,
        typer.Option("--take", metavar="NAME", help="Take the duplicate's value of this field."),
    ] = None,
    purpose: Annotated[
        str | None,
        typer.Option(
            "--purpose", help="The purpose to show the result under (default: the policy's)."
        ),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Merge DUP_ID into SURVIVOR_ID, losing nothing (supervisors)."""
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        view = merging.merge(
            survivor_id,
            merging.MergeCustomers(
                duplicate_id=duplicate,
                reason=reason,
                purpose=purpose or c.policy.default_purpose,
                take_from_duplicate=frozenset(take or ()),
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            kinds=c.record_kinds,
        )
    if as_json:
        print_json(render.view_json(view))
        return
    out.print(Text(f"merged {duplicate} into {survivor_id}"))
    render.show_view(view)


@app.command("review")
def review_(
    as_user: AsUser,
    limit: Annotated[int, typer.Option("--limit")] = 100,
    as_json: AsJson = False,
) -> None:
    """Records to confirm again, and suspected duplicates (supervisors, data protection)."""
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        queue = review.review_queue(
            uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock, limit=limit, count_all=True
        )
    if as_json:
        print_json(render.review_json(queue))
        return
    render.show_review(queue)


@app.command("find-duplicates")
def find_duplicates(
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            envvar="CLIENTKEEP_AS",
            metavar="USERNAME",
            help="Act as this supervisor or data protection lead; without it, as the system.",
        ),
    ] = None,
    batch: Annotated[
        int, typer.Option("--batch", metavar="N", help="Shared values examined per commit.")
    ] = book_scan.DEFAULT_BATCH,
    as_json: AsJson = False,
) -> None:
    """Scan the whole book for likely duplicates (after an import) and queue them for review."""
    c = container()
    actor = acting_as(c, as_user) if as_user else cli_actor()
    with (
        cli_errors(),
        Progress(
            TextColumn("finding duplicates"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[found]} queued"),
            console=err,
            transient=True,
        ) as bar,
    ):
        task = bar.add_task("scan", total=1.0, found=0)
        report = book_scan.scan_book(
            uow_factory=c.uow,
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            batch=batch,
            progress=lambda p: bar.update(task, completed=p.done, found=p.suspects_recorded),
        )
    counts = {
        "pairs_compared": report.pairs_compared,
        "suspects_found": report.suspects_found,
        "suspects_recorded": report.suspects_recorded,
        "already_in_queue": report.already_known,
        "values_too_common": report.groups_too_common,
    }
    if as_json:
        print_json({**counts, "pairs": [render.plain(asdict(f)) for f in report.found]})
        return
    out.print(
        f"compared {report.pairs_compared:,} pairs; queued {report.suspects_recorded:,} likely "
        f"duplicates for review ({report.already_known:,} already in the queue or dismissed); "
        f"skipped {report.groups_too_common:,} values shared too widely to mean one person",
        highlight=False,
    )
