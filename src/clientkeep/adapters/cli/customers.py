"""`clientkeep customer ...`: customer records, worked as a named member of staff.

Each command acts as the staff member named by ``--as`` (or CLIENTKEEP_AS), with that
person's role, so the policy and the audit trail treat it as them; every event also names
the operating-system account that ran the command (credential "cli:<account>").
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from clientkeep.adapters.cli._common import cli_actor, cli_errors, container, fail, out, print_json
from clientkeep.adapters.cli._progress import progress

if TYPE_CHECKING:
    from clientkeep import bootstrap
    from clientkeep.customers.views import CustomerView
    from clientkeep.shared.actor import Actor

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
# Written out so `--help` need not load the domain (a unit test keeps them equal to
# customers.rectification.CONFIRM_METHODS and matching.book_scan.DEFAULT_BATCH).
CONFIRM_METHODS = ("phone", "email", "in_person", "post", "web", "sms")
SCAN_BATCH = 2_000
# As customers.model.CALLER_CHANNELS and INTERNAL_SOURCES (a unit test keeps them equal).
CALLER_SOURCES = ("phone", "in_person", "web")
INTERNAL_SOURCES = ("returned_post", "internal_records", "post", "email", "import")


def acting_as(c: bootstrap.Container, username: str) -> Actor:
    """The active staff member called ``username``, as an actor using the CLI.

    Whoever holds the data directory may name anyone, so every event records, as the
    credential, the operating-system account that really ran the command.
    """
    from clientkeep.staff.authentication import actor_for

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
    from clientkeep.adapters.cli import _customer_render as render

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
    from clientkeep.adapters.cli import _customer_render as render
    from clientkeep.customers import services as customers

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
    from clientkeep.customers import services as customers

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
    from clientkeep.adapters.cli import _customer_render as render
    from clientkeep.matching import search as matching

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
        print_json(render.search_json(found))
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
    source: Annotated[
        str | None,
        typer.Option(
            "--source",
            help=(
                "Where the change came from. With --on-behalf-of-customer: "
                f"{', '.join(CALLER_SOURCES)} (phone if not given). Otherwise (an internal "
                f"correction) required: {', '.join(INTERNAL_SOURCES)}."
            ),
        ),
    ] = None,
    on_behalf_of_customer: Annotated[
        bool,
        typer.Option(
            "--on-behalf-of-customer",
            help="The caller asked for this change: it needs --verification.",
        ),
    ] = False,
    verification: Annotated[
        str | None,
        typer.Option(
            "--verification",
            metavar="VERIFICATION_ID",
            help="The verification of this caller you ran (`verify check`), still valid.",
        ),
    ] = None,
    confirmed: Confirmed = False,
    explicit_consent: Consent = None,
    as_json: AsJson = False,
) -> None:
    """Correct a record; the history keeps who, when, why and the old value.

    A change the caller asks for takes --on-behalf-of-customer and --verification; an
    internal correction says where it came from with --source."""
    changes: dict[str, str | None] = {**parse_fields(field)}
    for name in remove or []:
        if name in changes:
            fail(f"fields.{name}: both set and removed", 2)
        changes[name] = None
    if verification is not None and not on_behalf_of_customer:
        fail(
            "--verification is for a change the caller asks for: add --on-behalf-of-customer, "
            "or leave it out for an internal correction",
            2,
        )
    from clientkeep.customers import services as customers
    from clientkeep.verification import caller_changes

    c = container()
    actor = acting_as(c, as_user)
    cmd = customers.UpdateCustomer(
        purpose=purpose,
        fields=changes,
        reason=reason,
        source=source,
        confirmed_with_customer=confirmed,
        explicit_consent=frozenset(explicit_consent or ()),
        on_behalf_of_customer=on_behalf_of_customer,
    )
    with cli_errors():
        if on_behalf_of_customer:
            view = caller_changes.update_for_caller(
                customer_id,
                cmd,
                verification,
                uow=c.uow(),
                actor=actor,
                policy=c.policy,
                clock=c.clock,
            )
        else:
            view = customers.update(
                customer_id, cmd, uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock
            )
    _emit(view, as_json=as_json)


@app.command("history")
def history(customer_id: str, as_user: AsUser, purpose: Purpose, as_json: AsJson = False) -> None:
    """Every change to the fields PURPOSE shows you, newest first."""
    from clientkeep.adapters.cli import _customer_render as render
    from clientkeep.customers import services as customers

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
    method: Annotated[str, typer.Option("--method", help=f"How: {', '.join(CONFIRM_METHODS)}.")],
    field: Annotated[
        list[str] | None,
        typer.Option("--field", metavar="NAME", help="A field the customer confirmed; repeatable."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Record that the customer said these details are still right."""
    from clientkeep.customers import services as customers

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
    survivor_id: Annotated[str, typer.Argument(metavar="SURVIVOR", help="The record that stays.")],
    other_id: Annotated[
        str, typer.Argument(metavar="OTHER", help="The duplicate, merged into SURVIVOR.")
    ],
    as_user: AsUser,
    purpose: Annotated[
        str | None,
        typer.Option(
            "--purpose", help="The purpose to show the records under (default: the policy's)."
        ),
    ] = None,
    take: Annotated[
        list[str] | None,
        typer.Option(
            "--take",
            metavar="FIELD=CUSTOMER_ID",
            help="Where the records differ, whose value of FIELD to keep; repeatable.",
        ),
    ] = None,
    name_from: Annotated[
        str | None,
        typer.Option(
            "--name-from", metavar="CUSTOMER_ID", help="Whose name to keep, whole (all its parts)."
        ),
    ] = None,
    confirm: Annotated[
        str | None,
        typer.Option(
            "--confirm",
            metavar="DIGEST",
            help="The preview's digest: merge exactly what it showed. Without it, only preview.",
        ),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why they are one person (with --confirm).")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Merge OTHER into SURVIVOR, losing nothing (supervisors), in two steps.

    Without --confirm: show the merged record as it will read, the choices left and a digest,
    and change nothing. With --confirm DIGEST (and the same choices, and --reason): merge,
    refused if either record changed since the preview.
    """
    from clientkeep.adapters.cli import _customer_render as render
    from clientkeep.adapters.cli import _merge_render as merge_render
    from clientkeep.customers import merge as merging
    from clientkeep.customers import merge_preview as previewing
    from clientkeep.shared.errors import InvalidInput

    ids = (survivor_id, other_id)
    taken = _takes(take, ids)
    if name_from is not None and name_from not in ids:
        fail("--name-from: give SURVIVOR or OTHER, the id of one of the two records", 2)
    name_from_other = name_from == other_id
    if confirm is not None and not _is_digest(confirm):
        fail("--confirm: give the digest the preview printed (64 hexadecimal characters)", 2)
    if confirm is not None and not (reason or "").strip():
        fail("--reason: say why the records are one person", 2)
    c = container()
    actor = acting_as(c, as_user)
    chosen_purpose = purpose or c.policy.default_purpose
    with cli_errors():
        try:
            if confirm is None:
                preview = previewing.preview_merge(
                    survivor_id,
                    previewing.PreviewMerge(
                        duplicate_id=other_id,
                        purpose=chosen_purpose,
                        choices=previewing.MergeChoices(
                            name_from_duplicate=name_from_other,
                            take_from_duplicate=taken,
                        ),
                    ),
                    uow=c.uow(),
                    actor=actor,
                    policy=c.policy,
                    clock=c.clock,
                    kinds=c.record_kinds,
                )
            else:
                view = merging.merge(
                    survivor_id,
                    merging.MergeCustomers(
                        duplicate_id=other_id,
                        reason=reason or "",
                        purpose=chosen_purpose,
                        take_from_duplicate=taken,
                        name_from_duplicate=name_from_other,
                        preview_digest=confirm,
                    ),
                    uow=c.uow(),
                    actor=actor,
                    policy=c.policy,
                    clock=c.clock,
                    kinds=c.record_kinds,
                )
        except InvalidInput as exc:
            # The use case names the API's inputs; say which option was at fault.
            raise InvalidInput([merge_render.in_cli_terms(f, m) for f, m in exc.errors]) from None
    if confirm is None:
        if as_json:
            print_json(merge_render.preview_json(preview))
            return
        command = ["clientkeep", "customer", "merge", survivor_id, other_id, "--as", as_user]
        command += ["--purpose", chosen_purpose]
        for field in sorted(taken):
            command += ["--take", f"{field}={other_id}"]
        if name_from is not None:
            command += ["--name-from", name_from]
        merge_render.show_preview(preview, command=command)
        return
    if as_json:
        print_json(render.view_json(view))
        return
    out.print(Text(f"merged {other_id} into {survivor_id}"))
    render.show_view(view)


def _takes(items: list[str] | None, ids: tuple[str, str]) -> frozenset[str]:
    """The fields whose value comes from OTHER; naming SURVIVOR keeps its value (the default)."""
    other_id = ids[1]
    chosen: dict[str, str] = {}
    for n, item in enumerate(items or [], start=1):
        field, sep, whose = (part.strip() for part in item.partition("="))
        if not sep or not field or not whose:
            fail(f"--take: item {n} is not FIELD=CUSTOMER_ID (for example --take email=cus_...)", 2)
        if whose not in ids:
            fail(f"--take {field}: give SURVIVOR or OTHER, the id of one of the two records", 2)
        if field in chosen:
            fail(f"--take {field}: given more than once", 2)
        chosen[field] = whose
    return frozenset(f for f, whose in chosen.items() if whose == other_id)


def _is_digest(text: str) -> bool:
    return len(text) == 64 and all(ch in "0123456789abcdef" for ch in text)


@app.command("review")
def review_(
    as_user: AsUser,
    limit: Annotated[int, typer.Option("--limit")] = 100,
    as_json: AsJson = False,
) -> None:
    """Records to confirm again, and suspected duplicates (supervisors, data protection)."""
    from clientkeep.adapters.cli import _customer_render as render
    from clientkeep.customers import review

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
    ] = SCAN_BATCH,
    as_json: AsJson = False,
) -> None:
    """Scan the whole book for likely duplicates (after an import) and queue them for review."""
    from clientkeep.adapters.cli import _customer_render as render
    from clientkeep.matching import book_scan

    c = container()
    actor = acting_as(c, as_user) if as_user else cli_actor()
    with (
        cli_errors(),
        progress("Finding duplicates", unit="pairs compared") as tracker,
    ):
        # The scan knows how far through the book it is, not how many pairs are left.
        report = book_scan.scan_book(
            uow_factory=c.uow,
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            batch=batch,
            progress=lambda p: tracker.update(p.pairs_compared, share=p.done),
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
