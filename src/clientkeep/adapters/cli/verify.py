"""`clientkeep verify ...`: check that a caller is the customer, from what they state or
from a one-time code sent to the contact details on their record.

The agent types the caller's answers as they say them; the command says only whether that
was enough, never which answer was wrong or what is held. With no ``--answer`` (and no
``--code``) it asks for each one, so answers need not sit in the shell's history.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from clientkeep.adapters.cli._common import cli_errors, container, fail, out, print_json
from clientkeep.adapters.cli.customers import AsJson, AsUser, acting_as

if TYPE_CHECKING:
    from clientkeep.verification.services import CheckResult

app = typer.Typer(help="Verify that a caller is the customer before anything is disclosed.")
# Written out so `--help` need not load the domain (verification.kinds.PURPOSE).
PURPOSE = "identity_verification"
Answers = Annotated[
    list[str] | None,
    typer.Option(
        "--answer",
        metavar="NAME=VALUE",
        help="What the caller said (date_of_birth, postcode, phone_last_four, "
        "customer_reference...); repeat for each. Without any, each is asked for.",
    ),
]
PurposeOption = Annotated[str, typer.Option("--purpose", help="The verification purpose.")]
Code = Annotated[
    str | None,
    typer.Option(
        "--code",
        metavar="DIGITS",
        help="The one-time code the caller reads out (sent first with `verify send-code`).",
    ),
]
Representative = Annotated[
    str | None,
    typer.Option(
        "--representative",
        metavar="REP_ID",
        help="The caller is this approved representative of the customer: check THEIR OWN "
        "answers (date_of_birth, postcode, phone_last_four), not the customer's.",
    ),
]
# Written out so `--help` need not load the domain (the policy's one-time-code channels).
CHANNELS = ("email", "sms")


def _parse_answers(items: list[str] | None) -> dict[str, str]:
    """``NAME=VALUE`` pairs; a bad one is named by position, never echoed."""
    parsed: dict[str, str] = {}
    for n, item in enumerate(items or [], start=1):
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            fail(f"--answer: item {n} is not NAME=VALUE (for example --answer postcode=...)", 2)
        if name in parsed:
            fail(f"{name}: given more than once", 2)
        parsed[name] = value
    return parsed


@app.command("check")
def check(
    customer_id: Annotated[str, typer.Argument(help="The customer's id (cus_...).")],
    as_user: AsUser,
    answers: Answers = None,
    code: Code = None,
    representative: Representative = None,
    purpose: PurposeOption = PURPOSE,
    as_json: AsJson = False,
) -> None:
    """Check a caller's answers, or the one-time code they read out, or (--representative)
    a representative's own answers. Exit 0 when verified, 1 when not (attempts left are
    shown)."""
    from clientkeep.verification import one_time_codes as codes
    from clientkeep.verification import services as verification
    from clientkeep.verification.answers import answer_names

    if code is not None and answers:
        fail("give --answer or --code, not both", 2)
    if code is not None and representative is not None:
        fail("give --code or --representative, not both", 2)
    c = container()
    actor = acting_as(c, as_user)
    if code is not None:
        with cli_errors():
            done = codes.check_code(
                customer_id,
                codes.CodeCheck(code=code, purpose=purpose),
                uow=c.uow(),
                actor=actor,
                policy=c.policy,
                clock=c.clock,
                codes=c.one_time_codes,
            )
        _report(done, as_json)
        return
    stated = _parse_answers(answers)
    if representative is not None:
        _check_representative(customer_id, representative, stated, purpose, c, actor, as_json)
        return
    if not stated:
        with cli_errors():
            names = answer_names(c.policy, verification.knowledge_method(c.policy))
        for name in names:
            said = typer.prompt(f"{name} (Enter to skip)", default="", show_default=False)
            if said.strip():
                stated[name] = said
    with cli_errors():
        done = verification.check_knowledge(
            customer_id,
            verification.KnowledgeCheck(answers=stated, purpose=purpose),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    _report(done, as_json)


def _check_representative(
    customer_id: str,
    representative_id: str,
    stated: dict[str, str],
    purpose: str,
    c: Any,
    actor: Any,
    as_json: bool,
) -> None:
    from clientkeep.verification import representatives as reps

    if not stated:
        with cli_errors():
            names = reps.representative_answer_names(c.policy)
        for name in names:
            said = typer.prompt(
                f"the representative's {name} (Enter to skip)", default="", show_default=False
            )
            if said.strip():
                stated[name] = said
    with cli_errors():
        done = reps.check_representative(
            customer_id,
            reps.RepresentativeCheck(
                representative_id=representative_id, answers=stated, purpose=purpose
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    _report(done, as_json)


def _report(done: CheckResult, as_json: bool) -> None:
    if as_json:
        shown = {
            "verified": done.verified,
            "verification_id": done.verification_id,
            "expires_at": done.expires_at.isoformat() if done.expires_at else None,
            "attempts_left": done.attempts_left,
        }
        print_json({k: v for k, v in shown.items() if v is not None or k == "verified"})
    elif done.verified:
        assert done.expires_at is not None
        out.print(
            f"verified: {done.verification_id}, valid for you until "
            f"{done.expires_at:%Y-%m-%d %H:%M} UTC",
            highlight=False,
        )
    if not done.verified:
        if not as_json:
            fail(f"not verified; {done.attempts_left} attempts left before checks lock", 1)
        raise typer.Exit(1)


@app.command("send-code")
def send_code(
    customer_id: Annotated[str, typer.Argument(help="The customer's id (cus_...).")],
    as_user: AsUser,
    channel: Annotated[
        str,
        typer.Option(
            "--channel",
            help=f"Send to the customer's {' or '.join(CHANNELS)} on record, never elsewhere.",
        ),
    ],
    purpose: PurposeOption = PURPOSE,
    as_json: AsJson = False,
) -> None:
    """Send a one-time code to the customer's contact details on record; the caller reads it
    back and `verify check --code` checks it. Neither the code nor the address is shown."""
    from clientkeep.verification import one_time_codes as codes

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        sent = codes.send_code(
            customer_id,
            codes.SendCode(channel=channel, purpose=purpose),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            codes=c.one_time_codes,
        )
    if as_json:
        shown = {
            "sent": True,
            "channel": sent.channel,
            "expires_at": sent.expires_at.isoformat(),
            "hint": sent.hint,
        }
        print_json({k: v for k, v in shown.items() if v is not None})
        return
    to = f" to {sent.hint}" if sent.hint else ""
    out.print(
        f"code sent by {sent.channel}{to}; it works once, until "
        f"{sent.expires_at:%Y-%m-%d %H:%M} UTC",
        highlight=False,
    )


@app.command("list")
def list_(
    customer_id: Annotated[str, typer.Argument(help="The customer's id (cus_...).")],
    as_user: AsUser,
    purpose: PurposeOption = PURPOSE,
    as_json: AsJson = False,
) -> None:
    """The customer's identity checks, newest first: when, by whom, how, and the outcome."""
    from clientkeep.verification import services as verification

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        found = verification.attempts(
            customer_id, purpose=purpose, uow=c.uow(), actor=actor, policy=c.policy
        )
    if as_json:
        print_json(
            {
                "items": [
                    {
                        "id": a.id,
                        "method": a.method,
                        "verified": a.verified,
                        "details_asked_for": list(a.stated),
                        "at": a.at.isoformat(),
                        "expires_at": a.expires_at.isoformat() if a.expires_at else None,
                        "checked_by": a.checked_by,
                        "checked_by_name": a.checked_by_name,
                    }
                    for a in found
                ]
            }
        )
        return
    if not found:
        out.print("no identity checks recorded", highlight=False)
    for a in found:
        outcome = "verified" if a.verified else "not verified"
        out.print(
            f"{a.at:%Y-%m-%d %H:%M} {outcome} by {a.checked_by_name} ({a.method}: "
            f"{', '.join(a.stated)})",
            highlight=False,
        )


@app.command("lockouts")
def lockouts_(
    as_user: AsUser,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 100,
    as_json: AsJson = False,
) -> None:
    """Customers whose caller checks are locked now after repeated failures: how many, until
    when, and who ran them; never what was said (supervisors, data protection)."""
    from clientkeep.verification import lockouts

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        found = lockouts.locked_customers(
            uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock, limit=limit
        )
    if as_json:
        print_json(
            {
                "items": [
                    {
                        "customer_id": f.customer_id,
                        "display_name": f.display_name,
                        "failures": f.failures,
                        "first_failure_at": f.first_failure_at.isoformat(),
                        "last_failure_at": f.last_failure_at.isoformat(),
                        "retry_at": f.retry_at.isoformat(),
                        "tried_by": list(f.tried_by),
                        "tried_by_names": list(f.tried_by_names),
                    }
                    for f in found
                ]
            }
        )
        return
    if not found:
        out.print("no customer's checks are locked", highlight=False)
    for f in found:
        out.print(
            f"{f.customer_id} {f.display_name}: {f.failures} failed checks, locked until "
            f"{f.retry_at:%Y-%m-%d %H:%M} UTC; run by {', '.join(f.tried_by_names)}",
            highlight=False,
        )
