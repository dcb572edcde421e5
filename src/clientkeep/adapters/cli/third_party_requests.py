"""`clientkeep third-party-request add|list|show|decide`: record a third party's request for a
customer's details, the queue of those waiting, one request, and the decision on it.

No request gives an automatic right to data: a member holding `disclosures.approve`, not the
one who recorded it, approves (perhaps fewer fields) or refuses, with a reason; only then may
`clientkeep disclose --request-id` answer it, once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from clientkeep.adapters.cli._common import cli_errors, container, out, print_json
from clientkeep.adapters.cli.customers import AsJson, AsUser, acting_as

if TYPE_CHECKING:
    from clientkeep.verification.third_party import RequestView

app = typer.Typer(help="Third parties' requests for a customer's details, and their decisions.")

# Written out so `--help` need not load the domain (verification.third_party_bases.BASES and
# third_party_model.STATUSES); a unit test keeps them equal.
BASES = (
    "crime_and_taxation",
    "required_by_law_or_court_order",
    "legal_proceedings",
    "public_body_request",
    "vital_interests",
    "customer_consent",
)
STATUSES = ("pending", "approved", "refused", "disclosed")

CustomerId = Annotated[str, typer.Argument(help="The customer's id (cus_...).")]
RequestId = Annotated[str, typer.Argument(help="The request's id (tpr_...).")]
FieldNames = Annotated[
    list[str],
    typer.Option("--field", metavar="NAME", help="A field asked for; repeat for each."),
]
OptionalFields = Annotated[
    list[str] | None,
    typer.Option(
        "--field",
        metavar="NAME",
        help="On approval, a field approved (of those asked); repeat. All asked if none.",
    ),
]
OptionalPurpose = Annotated[
    str | None,
    typer.Option("--purpose", help="A purpose from the policy; its default purpose if not given."),
]


def as_dict(view: RequestView) -> dict[str, Any]:
    from clientkeep.verification.third_party_bases import BASES as CATALOGUE

    basis = CATALOGUE.get(view.basis)
    d = view.details
    return {
        "id": view.id,
        "customer_id": view.customer_id,
        "customer_name": view.customer_name,
        "purpose": view.purpose,
        "basis": view.basis,
        "basis_label": basis.label if basis else view.basis,
        "basis_law": basis.law if basis else "",
        "fields": list(view.fields),
        "approved_fields": None if view.approved_fields is None else list(view.approved_fields),
        "status": view.status,
        "created_by": view.created_by,
        "created_by_name": view.created_by_name,
        "created_at": view.created_at.isoformat(),
        "decided_by": view.decided_by,
        "decided_by_name": view.decided_by_name,
        "decided_at": view.decided_at.isoformat() if view.decided_at else None,
        "disclosure_id": view.disclosure_id,
        "details": None
        if d is None
        else {
            "requester": d.requester,
            "organisation": d.organisation,
            "identity_check": d.identity_check,
            "reference": d.reference,
            "reason": d.reason,
        },
        "decision_reason": view.decision,
    }


def _print(item: dict[str, Any]) -> None:
    lines = [
        f"{item['id']}  {item['status']}  customer {item['customer_id']}",
        f"basis: {item['basis_label']} ({item['basis_law']})",
        f"purpose: {item['purpose']}",
        f"asked for: {', '.join(item['fields'])}",
        f"recorded: {item['created_at']} by {item['created_by_name']}",
    ]
    details = item["details"]
    if details is not None:
        lines += [
            f"requester: {details['requester']}, {details['organisation']}",
            f"identity checked: {details['identity_check']}",
            f"their reference: {details['reference'] or '(none)'}",
            f"their reason: {details['reason']}",
        ]
    if item["decided_at"]:
        lines.append(f"decided: {item['decided_at']} by {item['decided_by_name']}")
    if item["approved_fields"] is not None:
        lines.append(f"approved: {', '.join(item['approved_fields'])}")
    if item["decision_reason"] is not None:
        lines.append(f"decision reason: {item['decision_reason']}")
    if item["disclosure_id"]:
        lines.append(f"answered by: {item['disclosure_id']}")
    for line in lines:
        out.print(line, highlight=False, markup=False)


def _show(request_id: str, c: Any, actor: Any, as_json: bool) -> None:
    from clientkeep.verification import third_party

    with cli_errors():
        view = third_party.request_detail(request_id, uow=c.uow(), actor=actor, policy=c.policy)
    item = as_dict(view)
    if as_json:
        print_json(item)
        return
    _print(item)


@app.command("add")
def add(
    customer_id: CustomerId,
    as_user: AsUser,
    requester: Annotated[str, typer.Option("--requester", help="The person asking, by name.")],
    organisation: Annotated[
        str, typer.Option("--organisation", help="Who they ask for: a force, a firm, a body.")
    ],
    identity_check: Annotated[
        str,
        typer.Option("--identity-check", help="How their identity and authority were checked."),
    ],
    basis: Annotated[str, typer.Option("--basis", help=f"One of: {', '.join(BASES)}.")],
    reason: Annotated[str, typer.Option("--reason", help="What they say it is for.")],
    fields: FieldNames,
    reference: Annotated[
        str, typer.Option("--reference", help="Their reference, such as a crime number.")
    ] = "",
    purpose: OptionalPurpose = None,
    as_json: AsJson = False,
) -> None:
    """Record a third party's request for the customer's details, pending a decision."""
    from clientkeep.verification import third_party

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        made = third_party.record_request(
            customer_id,
            third_party.RecordRequest(
                requester=requester,
                organisation=organisation,
                identity_check=identity_check,
                basis=basis,
                reference=reference,
                reason=reason,
                fields=fields,
                purpose=purpose,
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    if as_json:
        _show(made.id, c, actor, True)
        return
    out.print(f"recorded: {made.id} (pending a decision)", highlight=False)


@app.command("list")
def list_requests(
    as_user: AsUser,
    status: Annotated[
        str, typer.Option("--status", help=f"One of: {', '.join(STATUSES)}.")
    ] = "pending",
    customer: Annotated[
        str | None,
        typer.Option("--customer", metavar="CUS_ID", help="Only this customer's, newest first."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=200)] = 50,
    cursor: Annotated[str | None, typer.Option("--cursor", help="From an earlier page.")] = None,
    purpose: OptionalPurpose = None,
    as_json: AsJson = False,
) -> None:
    """The queue of requests in a status across customers, oldest first (needs
    disclosures.approve); or, with --customer, every request about one customer."""
    from clientkeep.verification import third_party

    c = container()
    actor = acting_as(c, as_user)
    next_cursor = None
    with cli_errors():
        if customer is not None:
            views = third_party.customer_requests(
                customer,
                purpose=purpose or c.policy.default_purpose,
                uow=c.uow(),
                actor=actor,
                policy=c.policy,
            )
        else:
            page = third_party.queue(
                status=status,
                limit=limit,
                cursor=cursor,
                uow=c.uow(),
                actor=actor,
                policy=c.policy,
            )
            views, next_cursor = page.items, page.next_cursor
    items = [as_dict(v) for v in views]
    if as_json:
        print_json({"items": items, "next_cursor": next_cursor})
        return
    if not items:
        out.print("no requests")
        return
    for i in items:
        who = (
            f"{i['customer_name']} ({i['customer_id']})" if i["customer_name"] else i["customer_id"]
        )
        out.print(
            f"{i['created_at'][:16]}  {i['id']}  {i['status']}  {who}  "
            f"{i['basis_label']}: {', '.join(i['fields'])}  (recorded by {i['created_by_name']})",
            highlight=False,
            markup=False,
        )
    if next_cursor:
        out.print(f"more: --cursor {next_cursor}", highlight=False)


@app.command("show")
def show(request_id: RequestId, as_user: AsUser, as_json: AsJson = False) -> None:
    """One request, read under its own purpose; audited."""
    c = container()
    _show(request_id, c, acting_as(c, as_user), as_json)


@app.command("decide")
def decide(
    request_id: RequestId,
    as_user: AsUser,
    decision: Annotated[str, typer.Option("--decision", help="approve or refuse.")],
    reason: Annotated[str, typer.Option("--reason", help="Why: the basis weighed.")],
    fields: OptionalFields = None,
    as_json: AsJson = False,
) -> None:
    """Approve (all the fields asked, or those named) or refuse a pending request, with a
    reason; needs disclosures.approve, and never by the member who recorded it."""
    from clientkeep.verification import third_party

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        done = third_party.decide(
            request_id,
            third_party.DecideRequest(decision=decision, reason=reason, fields=fields or None),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    if as_json:
        _show(done.id, c, actor, True)
        return
    approved = f": {', '.join(done.approved_fields)}" if done.approved_fields else ""
    out.print(f"{done.id}: {done.status.value}{approved}", highlight=False)
