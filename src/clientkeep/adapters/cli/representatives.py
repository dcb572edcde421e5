"""`clientkeep representative add|list|decide`: record someone with authority to act for a
customer (pending), list a customer's representatives, and approve, refuse or revoke one.

The representative's own answers (their date of birth, postcode, the last four of their
phone) are taken once, for verifying them later with `clientkeep verify check
--representative REP_ID`; with no ``--answer`` each is asked for, so they need not sit in the
shell's history. They are never shown again. A member holding `disclosures.approve`, not the
one who recorded them, approves or refuses them.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from clientkeep.adapters.cli._common import cli_errors, container, fail, out, print_json
from clientkeep.adapters.cli.customers import AsJson, AsUser, acting_as
from clientkeep.adapters.cli.verify import Answers, _parse_answers

if TYPE_CHECKING:
    from clientkeep.verification.representatives import RepresentativeView

app = typer.Typer(help="People with authority to act for a customer, and decisions on them.")

# Written out so `--help` need not load the domain (verification.representative_model);
# a unit test keeps them equal.
AUTHORITIES = (
    "lasting_power_of_attorney",
    "deputyship",
    "parental_responsibility",
    "solicitors_letter",
)
SCOPE_ACTIONS = ("disclose", "update")
DECISIONS = ("approve", "refuse", "revoke")

CustomerId = Annotated[str, typer.Argument(help="The customer's id (cus_...).")]
RepresentativeId = Annotated[str, typer.Argument(help="The representative's id (rep_...).")]
OptionalPurpose = Annotated[
    str | None,
    typer.Option("--purpose", help="A purpose from the policy; its default purpose if not given."),
]


def as_dict(view: RepresentativeView) -> dict[str, Any]:
    return {
        "id": view.id,
        "name": view.name,
        "relationship": view.relationship,
        "authority": view.authority,
        "reference": view.reference,
        "evidence_seen": view.evidence_seen,
        "scope_fields": list(view.scope_fields),
        "scope_actions": list(view.scope_actions),
        "expires_on": view.expires_on.isoformat() if view.expires_on else None,
        "expired": view.expired,
        "status": view.status,
        "acts_now": view.acts_now,
        "purpose": view.purpose,
        "recorded_by": view.recorded_by,
        "recorded_by_name": view.recorded_by_name,
        "recorded_at": view.recorded_at.isoformat(),
        "decided_by": view.decided_by,
        "decided_by_name": view.decided_by_name,
        "decided_at": view.decided_at.isoformat() if view.decided_at else None,
        "decision_reason": view.decision_reason,
    }


def _expires(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        fail("--expires-on: give a date as YYYY-MM-DD", 2)


@app.command("add")
def add(
    customer_id: CustomerId,
    as_user: AsUser,
    name: Annotated[str, typer.Option("--name", help="The representative's name.")],
    relationship: Annotated[
        str, typer.Option("--relationship", help='How they are related ("daughter").')
    ],
    authority: Annotated[
        str, typer.Option("--authority", help=f"One of: {', '.join(AUTHORITIES)}.")
    ],
    evidence_seen: Annotated[
        str, typer.Option("--evidence", help="Which document you saw, and in what form.")
    ],
    fields: Annotated[
        list[str],
        typer.Option("--field", metavar="NAME", help="A field they may be told or change; repeat."),
    ],
    actions: Annotated[
        list[str],
        typer.Option(
            "--action", metavar="ACTION", help=f"{' or '.join(SCOPE_ACTIONS)}; repeat for both."
        ),
    ],
    reference: Annotated[
        str, typer.Option("--reference", help="The authority's reference (an LPA's OPG one).")
    ] = "",
    expires_on: Annotated[
        str | None,
        typer.Option("--expires-on", metavar="YYYY-MM-DD", help="The last day it lasts."),
    ] = None,
    answers: Answers = None,
    purpose: OptionalPurpose = None,
    as_json: AsJson = False,
) -> None:
    """Record a representative, pending approval, with THEIR OWN answers for verifying them
    later (asked for when no --answer is given); the answers are never shown."""
    from clientkeep.verification import representatives as reps

    until = _expires(expires_on)
    c = container()
    actor = acting_as(c, as_user)
    stated = _parse_answers(answers)
    if not stated:
        with cli_errors():
            names = reps.representative_answer_names(c.policy)
        for answer in names:
            said = typer.prompt(
                f"the representative's {answer} (Enter to skip)", default="", show_default=False
            )
            if said.strip():
                stated[answer] = said
    with cli_errors():
        done = reps.record_representative(
            customer_id,
            reps.RecordRepresentative(
                name=name,
                relationship=relationship,
                authority=authority,
                reference=reference,
                evidence_seen=evidence_seen,
                scope_fields=fields,
                scope_actions=actions,
                answers=stated,
                expires_on=until,
                purpose=purpose,
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    if as_json:
        print_json({"representative_id": done.representative_id, "status": done.status})
        return
    out.print(f"recorded: {done.representative_id} (pending approval)", highlight=False)


@app.command("list")
def list_(
    customer_id: CustomerId,
    as_user: AsUser,
    purpose: OptionalPurpose = None,
    as_json: AsJson = False,
) -> None:
    """The customer's representatives, newest first: authority, scope, expiry, status and
    decisions; audited. Never their answers."""
    from clientkeep.verification import representatives as reps

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        found = reps.representatives(
            customer_id,
            purpose=purpose or c.policy.default_purpose,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    items = [as_dict(v) for v in found]
    if as_json:
        print_json({"items": items})
        return
    if not items:
        out.print("no representatives recorded", highlight=False)
    for i in items:
        status = "expired" if i["expired"] and i["status"] == "approved" else i["status"]
        until = f", until {i['expires_on']}" if i["expires_on"] else ""
        lines = [
            f"{i['id']}  {status}  {i['name']} ({i['relationship']}), {i['authority']}"
            f"{' ' + i['reference'] if i['reference'] else ''}{until}",
            f"  may {' and '.join(i['scope_actions'])}: {', '.join(i['scope_fields'])}",
            f"  evidence: {i['evidence_seen']}; recorded {i['recorded_at'][:16]} by "
            f"{i['recorded_by_name']}",
        ]
        if i["decided_at"]:
            lines.append(
                f"  decided {i['decided_at'][:16]} by {i['decided_by_name']}: "
                f"{i['decision_reason']}"
            )
        for line in lines:
            out.print(line, highlight=False, markup=False)


@app.command("decide")
def decide(
    customer_id: CustomerId,
    representative_id: RepresentativeId,
    as_user: AsUser,
    decision: Annotated[str, typer.Option("--decision", help=f"{', '.join(DECISIONS)}.")],
    reason: Annotated[str, typer.Option("--reason", help="Why.")],
    as_json: AsJson = False,
) -> None:
    """Approve or refuse a pending representative, or revoke an approved one, with a reason;
    needs disclosures.approve, and nobody approves one they recorded."""
    from clientkeep.verification import representatives as reps

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        done = reps.decide(
            customer_id,
            representative_id,
            reps.Decide(decision=decision, reason=reason),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    if as_json:
        print_json({"representative_id": done.representative_id, "status": done.status})
        return
    out.print(f"{done.representative_id}: {done.status}", highlight=False)
