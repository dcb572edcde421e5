"""`clientkeep feedback add|list|ask`: record a customer's answer to a satisfaction question
(a CSAT score 1-5 or an NPS score 0-10, optionally rating one of their contacts), list their
answers under a purpose, and ask them for feedback by email (a plain survey, queued in the
outbox to the address on their record)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

import typer

from clientkeep.adapters.cli._common import cli_errors, container, fail, out, print_json
from clientkeep.adapters.cli.customers import AsJson, AsUser, acting_as

if TYPE_CHECKING:
    from clientkeep.feedback.recording import FeedbackView

app = typer.Typer(help="Customers' satisfaction scores (CSAT, NPS) and asking for them.")

# Written out so `--help` need not load the domain (interactions.vocabulary); a unit test
# keeps them equal.
CHANNELS = ("phone", "email", "in_person", "web", "letter", "chat")
CATEGORIES = ("enquiry", "request", "complaint", "feedback", "update", "other")

CustomerId = Annotated[str, typer.Argument(help="The customer's id (cus_...).")]
OptionalPurpose = Annotated[
    str | None,
    typer.Option("--purpose", help="A purpose from the policy; its default purpose if not given."),
]
InteractionId = Annotated[
    str | None,
    typer.Option(
        "--interaction",
        metavar="INT_ID",
        help="The customer's contact it rates: its channel, category and member of staff.",
    ),
]


def as_dict(view: FeedbackView) -> dict[str, Any]:
    return {
        "id": view.id,
        "customer_id": view.customer_id,
        "at": view.at.isoformat(),
        "month": view.month,
        "purpose": view.purpose,
        "scale": view.scale,
        "score": view.score,
        "comment": view.comment,
        "interaction_id": view.interaction_id,
        "channel": view.channel,
        "category": view.category,
        "staff_id": view.staff_id,
        "staff_name": view.staff_name,
        "recorded_by": view.recorded_by,
        "recorded_by_name": view.recorded_by_name,
    }


def _line(view: FeedbackView) -> str:
    high = 5 if view.scale == "csat" else 10
    about = ", ".join(x for x in (view.channel, view.category) if x) or "no contact named"
    return (
        f"{view.id}  {view.at:%Y-%m-%d %H:%M}  {view.scale.upper()} {view.score} of {high}  "
        f"({about}; rates {view.staff_name})"
    )


@app.command("add")
def add(
    customer_id: CustomerId,
    as_user: AsUser,
    csat: Annotated[int | None, typer.Option("--csat", help="1 to 5.")] = None,
    nps: Annotated[int | None, typer.Option("--nps", help="0 to 10.")] = None,
    comment: Annotated[
        str | None, typer.Option("--comment", help="What the customer said; sealed.")
    ] = None,
    interaction: InteractionId = None,
    channel: Annotated[
        str | None,
        typer.Option("--channel", help=f"Without --interaction: {', '.join(CHANNELS)}."),
    ] = None,
    category: Annotated[
        str | None,
        typer.Option("--category", help=f"Without --interaction: {', '.join(CATEGORIES)}."),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", help="When it was given (ISO 8601 with offset); now if not given."),
    ] = None,
    purpose: OptionalPurpose = None,
    as_json: AsJson = False,
) -> None:
    """Record one answer: exactly one of --csat and --nps."""
    from clientkeep.feedback import services as feedback

    when = None
    if at is not None:
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            fail("at: give a time such as 2026-11-23T09:30:00+00:00", 2)
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        done = feedback.record_feedback(
            customer_id,
            feedback.RecordFeedback(
                csat=csat,
                nps=nps,
                comment=comment,
                interaction_id=interaction,
                channel=channel,
                category=category,
                at=when,
                purpose=purpose,
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    if as_json:
        print_json(as_dict(done.feedback))
        return
    out.print(f"recorded: {_line(done.feedback)}", highlight=False, markup=False)


@app.command("list")
def list_(
    customer_id: CustomerId,
    as_user: AsUser,
    purpose: OptionalPurpose = None,
    cursor: Annotated[str | None, typer.Option("--cursor", help="A page's next cursor.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=100)] = 50,
    as_json: AsJson = False,
) -> None:
    """The customer's answers, newest first, under a purpose that shows feedback; audited."""
    from clientkeep.feedback import services as feedback

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        page = feedback.customer_feedback(
            customer_id,
            purpose=purpose or c.policy.default_purpose,
            cursor=cursor,
            limit=limit,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
        )
    if as_json:
        print_json(
            {
                "shown": page.shown,
                "items": [as_dict(v) for v in page.items],
                "next_cursor": page.next_cursor,
            }
        )
        return
    if not page.shown:
        out.print("this purpose does not show feedback", highlight=False)
        return
    for view in page.items:
        out.print(_line(view), highlight=False, markup=False)
        if view.comment:
            out.print(f"    {view.comment}", highlight=False, markup=False)
    if not page.items:
        out.print("no feedback recorded", highlight=False)
    if page.next_cursor:
        out.print(f"more: --cursor {page.next_cursor}", highlight=False)


@app.command("ask")
def ask(
    customer_id: CustomerId,
    as_user: AsUser,
    interaction: InteractionId = None,
    purpose: OptionalPurpose = None,
    as_json: AsJson = False,
) -> None:
    """Email the customer a short, plain survey (a service message: it promotes nothing) to
    the address on their record, through the outbox."""
    from clientkeep.feedback import services as feedback

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        queued = feedback.ask_for_feedback(
            customer_id,
            feedback.AskForFeedback(interaction_id=interaction, purpose=purpose),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            renderer=c.feedback_survey,
        )
    if as_json:
        print_json({"message_id": queued.message_id, "purpose": queued.purpose})
        return
    out.print(f"survey queued: {queued.message_id}", highlight=False)
