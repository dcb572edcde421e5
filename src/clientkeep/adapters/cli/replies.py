"""`clientkeep reply letter|email`: the written reply to one of your disclosures, holding
exactly the details it told: a letter printed here, or an email to the address on the record
through the outbox.

Module-level imports are the standard library, typer and the CLI's common modules only, so
`clientkeep --help` loads nothing of the domain or the templates.
"""

from __future__ import annotations

from typing import Annotated

import typer

from clientkeep.adapters.cli._common import cli_errors, container, out, print_json
from clientkeep.adapters.cli.customers import AsJson, AsUser

app = typer.Typer(
    help="A written reply to a disclosure: a letter or an email.", no_args_is_help=True
)

CustomerId = Annotated[str, typer.Argument(help="The customer's id (cus_...).")]
DisclosureId = Annotated[str, typer.Argument(help="Your disclosure's id (dis_...).")]


@app.command("letter")
def letter(
    customer_id: CustomerId, disclosure_id: DisclosureId, as_user: AsUser, as_json: AsJson = False
) -> None:
    """Print the letter for one of your disclosures (an audited read of the details told)."""
    from clientkeep.adapters.cli.customers import acting_as
    from clientkeep.verification import replies

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        reply = replies.letter(
            customer_id,
            disclosure_id,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            renderer=c.replies.renderer,
        )
    if as_json:
        print_json({"disclosure_id": disclosure_id, "subject": reply.subject, "body": reply.body})
        return
    # The letter as written: not wrapped to the terminal, no markup read into it.
    typer.echo(reply.body, nl=False)


@app.command("email")
def email(
    customer_id: CustomerId, disclosure_id: DisclosureId, as_user: AsUser, as_json: AsJson = False
) -> None:
    """Email what one of your disclosures by email told to the address on the record."""
    from clientkeep.adapters.cli.customers import acting_as
    from clientkeep.verification import replies

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        queued = replies.email_reply(
            customer_id,
            disclosure_id,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            tools=c.replies,
        )
    if as_json:
        print_json({"disclosure_id": queued.disclosure_id, "message_id": queued.message_id})
        return
    out.print(f"queued: {queued.message_id}", highlight=False)
