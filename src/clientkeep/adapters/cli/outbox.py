"""`clientkeep outbox list|deliver|retry`: the messages to customers waiting, sent and
failed; one pass of the sender; a dead letter sent again.

Module-level imports are the standard library, typer and the CLI's common module only, so
`clientkeep --help` loads nothing of the outbox, the database or the senders.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from clientkeep.adapters.cli._common import cli_actor, cli_errors, container, out, print_json

if TYPE_CHECKING:
    from clientkeep.outbox.model import Envelope

app = typer.Typer(help="Messages to customers: the outbox.", no_args_is_help=True)
# outbox.admin.PAGE_MAX, written out so `--help` need not load the outbox.
PAGE_MAX = 200

AsUser = Annotated[
    str,
    typer.Option(
        "--as",
        envvar="CLIENTKEEP_AS",
        metavar="USERNAME",
        help="The member of staff acting (a role that runs the outbox: the administrator).",
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="the API's fields")]


def _envelope_json(envelope: Envelope, customer: str) -> dict[str, Any]:
    return {
        "id": envelope.id,
        "customer_id": envelope.customer_id,
        "customer": customer,
        "channel": envelope.channel.value,
        "kind": envelope.kind,
        "purpose": envelope.purpose,
        "status": envelope.status.value,
        "attempts": envelope.attempts,
        "created_at": envelope.created_at.isoformat(),
        "next_attempt_at": _iso(envelope.next_attempt_at),
        "sent_at": _iso(envelope.sent_at),
        "provider_id": envelope.provider_id,
        "last_error": envelope.last_error,
    }


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())


@app.command("list")
def list_messages(
    as_user: AsUser,
    status: Annotated[
        str | None, typer.Option(help="waiting, sending, sent or dead (failed)")
    ] = None,
    cursor: Annotated[str | None, typer.Option(help="a page's next_cursor")] = None,
    limit: Annotated[int, typer.Option(min=1, max=PAGE_MAX)] = 50,
    as_json: AsJson = False,
) -> None:
    """Messages newest first, with their state; never their text. Recorded in the trail."""
    from clientkeep.adapters.cli.customers import acting_as
    from clientkeep.outbox import services as outbox

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        page = outbox.list_messages(
            status=outbox.parse_status(status),
            cursor=cursor,
            limit=limit,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
        )
    if as_json:
        print_json(
            {
                "items": [_envelope_json(m.envelope, m.customer) for m in page.messages],
                "next_cursor": page.next_cursor,
                "counts": page.counts,
            }
        )
        return
    for m in page.messages:
        e = m.envelope
        due = f"next {e.next_attempt_at:%Y-%m-%d %H:%M:%S}" if e.next_attempt_at else "-"
        out.print(
            f"{e.id}\t{e.created_at:%Y-%m-%d %H:%M:%S}\t{m.customer}\t{e.channel.value}\t"
            f"{e.status.value}\t{e.attempts} attempts\t{due}\t{e.last_error or ''}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    counts = ", ".join(f"{n} {s}" for s, n in page.counts.items())
    out.print(f"{len(page.messages)} shown; in the outbox: {counts}", highlight=False)
    if page.next_cursor:
        out.print(f"more: --cursor {page.next_cursor}", highlight=False, soft_wrap=True)


@app.command("deliver")
def deliver(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="at most this many")] = 100,
    as_json: AsJson = False,
) -> None:
    """One pass of the sender: send what is due, with the senders the environment sets."""
    from clientkeep.adapters.senders import delivery_rules, senders_for
    from clientkeep.outbox import services as outbox

    c = container()
    settings = c.settings.outbox
    senders = senders_for(settings)
    with cli_errors():
        report = outbox.deliver_due(
            c.uow,
            senders,
            c.clock,
            limit,
            rules=delivery_rules(settings),
            actor=cli_actor(),
        )
    if as_json:
        print_json(
            {
                "sent": report.sent,
                "retrying": report.retrying,
                "dead": report.dead,
                "outcome_unknown": report.outcome_unknown,
                "channels": sorted(ch.value for ch in senders),
            }
        )
        return
    if not senders:
        out.print(
            "no sender configured (CLIENTKEEP_EMAIL_SENDER, CLIENTKEEP_SMS_SENDER): messages wait",
            highlight=False,
        )
    out.print(
        f"{report.sent} sent, {report.retrying} to retry, {report.dead} failed (dead letter), "
        f"{report.outcome_unknown} outcome unknown",
        highlight=False,
    )


@app.command("retry")
def retry(
    message_id: Annotated[str, typer.Argument(metavar="ID", help="a dead letter's id")],
    as_user: AsUser,
    as_json: AsJson = False,
) -> None:
    """Send a failed (dead-letter) message again. If its outcome was unknown, check with the
    provider first that it did not arrive."""
    from clientkeep.adapters.cli.customers import acting_as
    from clientkeep.outbox import services as outbox

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        retried = outbox.retry_message(
            message_id, uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock
        )
    if as_json:
        print_json(_envelope_json(retried, retried.customer_id))
        return
    out.print(f"{retried.id} is waiting again; it goes with the next pass", highlight=False)
