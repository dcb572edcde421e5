"""`clientkeep disclose` and `clientkeep disclosures`: tell a verified caller, or the third
party of an approved request, some of a customer's details, and read the log of who was told
what.

A disclosure rests on a verification the same member of staff ran (`verify check`), still
valid, or on an approved third-party request, used once; the values are printed once, here,
and never logged.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from clientkeep.adapters.cli._common import cli_errors, container, fail, out, print_json
from clientkeep.adapters.cli.customers import AsJson, AsUser

# Written out so `--help` need not load the domain (verification.disclosure_model.CHANNELS).
CHANNELS = ("phone", "email", "letter", "in_person")

CustomerId = Annotated[str, typer.Argument(help="The customer's id (cus_...).")]
VerificationId = Annotated[
    str | None,
    typer.Option(
        "--verification",
        metavar="VER_ID",
        help="The verification of this caller you ran (`verify check`), still valid.",
    ),
]
RequestId = Annotated[
    str | None,
    typer.Option(
        "--request-id",
        metavar="TPR_ID",
        help="An approved third-party request (`third-party-request decide`) instead of a "
        "verification: only its approved fields, once.",
    ),
]
FieldNames = Annotated[
    list[str],
    typer.Option("--field", metavar="NAME", help="A field to tell the caller; repeat for each."),
]
ChannelOption = Annotated[
    str, typer.Option("--channel", help=f"How they were told: {', '.join(CHANNELS)}.")
]
Recipient = Annotated[
    str, typer.Option("--recipient", help='Who was told, in words ("the caller").')
]
OptionalPurpose = Annotated[
    str | None,
    typer.Option("--purpose", help="A purpose from the policy; its default purpose if not given."),
]


def disclose(
    customer_id: CustomerId,
    as_user: AsUser,
    fields: FieldNames,
    channel: ChannelOption,
    recipient: Recipient,
    verification: VerificationId = None,
    request_id: RequestId = None,
    purpose: OptionalPurpose = None,
    as_json: AsJson = False,
) -> None:
    """Tell a verified caller (--verification), or the third party of an approved request
    (--request-id), the fields named, as the record shows them; logged (fields and
    recipient, never values) and audited."""
    from clientkeep.adapters.cli.customers import acting_as
    from clientkeep.verification import disclosure as disclosures

    if (verification is None) == (request_id is None):
        fail("give exactly one of --verification and --request-id", 2)
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        done = disclosures.disclose(
            customer_id,
            disclosures.Disclose(
                verification_id=verification,
                request_id=request_id,
                fields=fields,
                channel=channel,
                recipient=recipient,
                # A request is answered under its own purpose unless one is named.
                purpose=purpose or (None if request_id else c.policy.default_purpose),
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    if as_json:
        print_json({"disclosure_id": done.disclosure_id, "values": done.values})
        return
    out.print(f"disclosed: {done.disclosure_id}", highlight=False)
    for name, value in done.values.items():
        out.print(f"{name}: {value}", highlight=False, markup=False)


def disclosures_(
    customer_id: CustomerId,
    as_user: AsUser,
    purpose: OptionalPurpose = None,
    as_json: AsJson = False,
) -> None:
    """The customer's disclosure log, newest first: when, who, to whom, which fields, how, and
    the verification it rested on."""
    from clientkeep.adapters.cli.customers import acting_as
    from clientkeep.verification import disclosure as disclosures

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        found = disclosures.disclosure_log(
            customer_id,
            purpose=purpose or c.policy.default_purpose,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
        )
    items: list[dict[str, Any]] = [
        {
            "id": d.id,
            "at": d.at.isoformat(),
            "by": d.by,
            "by_name": d.by_name,
            "recipient": d.recipient,
            "fields": list(d.fields),
            "channel": d.channel,
            "purpose": d.purpose,
            "verification_id": d.verification_id,
            "request_id": d.request_id,
            "basis": d.basis,
        }
        for d in found
    ]
    if as_json:
        print_json({"items": items})
        return
    if not found:
        out.print("no disclosures")
        return
    for d in found:
        to = d.recipient if d.recipient is not None else "(not shown under this purpose)"
        out.print(
            f"{d.at:%Y-%m-%d %H:%M} UTC  {d.by_name} told {to} by {d.channel}: "
            f"{', '.join(d.fields)}  ({d.purpose}; {d.basis})",
            highlight=False,
            markup=False,
        )
