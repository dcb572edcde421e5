"""`clientkeep complaint open|move|list|show|letter`: open a customer's complaint, take a step
in handling it, the board (or one customer's cases), one case with its steps, and the final
response letter of a resolved case."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from clientkeep.adapters.cli._common import cli_errors, container, fail, out, print_json
from clientkeep.adapters.cli.customers import AsJson, AsUser, acting_as

if TYPE_CHECKING:
    from clientkeep.complaints.services import ComplaintView

app = typer.Typer(help="Customers' complaints: open, work through and list cases.")

# Written out so `--help` need not load the domain (complaints.model and
# interactions.vocabulary); a unit test keeps them equal.
STEPS = (
    "acknowledge",
    "investigate",
    "escalate",
    "hold",
    "release",
    "resolve",
    "close",
    "reopen",
    "assign",
    "note",
)
STATES = ("received", "acknowledged", "investigating", "escalated", "resolved", "closed")
CHANNELS = ("phone", "email", "in_person", "web", "letter", "chat")
ACCEPTED = ("yes", "no", "unknown")
CHECKLIST = ("listened", "apologised", "solution_offered", "thanked")

ComplaintId = Annotated[str, typer.Argument(help="The complaint's id (cmp_...).")]


def as_dict(v: ComplaintView) -> dict[str, Any]:
    d = v.details
    return {
        "id": v.id,
        "customer_id": v.customer_id,
        "customer_name": v.customer_name,
        "type": v.type,
        "type_label": v.type_label,
        "channel": v.channel,
        "purpose": v.purpose,
        "state": v.state,
        "received_at": v.received_at.isoformat(),
        "opened_by": v.opened_by,
        "opened_by_name": v.opened_by_name,
        "owner_id": v.owner_id,
        "owner_name": v.owner_name,
        "acknowledge_due": v.acknowledge_due.isoformat(),
        "acknowledge_status": v.acknowledge_status,
        "final_response_due": v.final_response_due.isoformat(),
        "final_response_status": v.final_response_status,
        "acknowledged_at": v.acknowledged_at.isoformat() if v.acknowledged_at else None,
        "resolved_at": v.resolved_at.isoformat() if v.resolved_at else None,
        "closed_at": v.closed_at.isoformat() if v.closed_at else None,
        "on_hold_since": v.on_hold_since.isoformat() if v.on_hold_since else None,
        "on_hold_days": v.on_hold_days,
        "held_days": v.held_days,
        "days_open": v.days_open,
        "working_days_open": v.working_days_open,
        "checklist": dict(v.checklist),
        "customer_accepted": v.customer_accepted,
        "allowed_steps": list(v.allowed_moves),
        "details": None
        if d is None
        else {
            "summary": d.summary,
            "desired_outcome": d.desired_outcome,
            "resolution": d.resolution,
        },
        "steps": [
            {
                "id": s.id,
                "at": s.at.isoformat(),
                "staff_id": s.staff_id,
                "staff_name": s.staff_name,
                "step": s.step,
                "from_state": s.from_state,
                "to_state": s.to_state,
                "note": s.note,
            }
            for s in v.steps
        ],
    }


def _line(i: dict[str, Any]) -> str:
    who = i["customer_name"] or i["customer_id"]
    hold = f"  on hold {i['on_hold_days']}d" if i["on_hold_since"] else ""
    return (
        f"{i['id']}  {i['type']}  {i['state']}  {who}  open {i['days_open']}d  "
        f"ack {i['acknowledge_due']} ({i['acknowledge_status']})  "
        f"final {i['final_response_due']} ({i['final_response_status']}){hold}"
    )


def _print(i: dict[str, Any]) -> None:
    lines = [
        _line(i),
        f"received: {i['received_at']} by {i['opened_by_name']} ({i['channel']})",
        f"owner: {i['owner_name'] or 'the team'}",
        f"days held: {i['held_days']}; open {i['working_days_open']} working days",
        f"next steps: {', '.join(i['allowed_steps'])}",
    ]
    d = i["details"]
    if d is not None:
        lines.append(f"summary: {d['summary']}")
        if d["desired_outcome"]:
            lines.append(f"wants: {d['desired_outcome']}")
        if d["resolution"]:
            lines.append(f"resolution: {d['resolution']} (accepted: {i['customer_accepted']})")
    for s in i["steps"]:
        note = f": {s['note']}" if s["note"] else ""
        lines.append(f"  {s['at'][:16]}  {s['step']}  by {s['staff_name']}{note}")
    for line in lines:
        out.print(line, highlight=False, markup=False)


def _done(view: ComplaintView, as_json: bool) -> None:
    item = as_dict(view)
    if as_json:
        print_json(item)
    else:
        _print(item)


@app.command("open")
def open_(
    customer_id: Annotated[str, typer.Argument(help="The customer's id (cus_...).")],
    as_user: AsUser,
    complaint_type: Annotated[
        str, typer.Option("--type", help="A complaint type the policy declares.")
    ],
    summary: Annotated[str, typer.Option("--summary", help="What the customer complains of.")],
    channel: Annotated[str, typer.Option("--channel", help=f"One of: {', '.join(CHANNELS)}.")],
    desired_outcome: Annotated[
        str, typer.Option("--desired-outcome", help="What they want done.")
    ] = "",
    received_at: Annotated[
        str | None,
        typer.Option("--received-at", help="ISO time with its UTC offset; now if not given."),
    ] = None,
    interaction_id: Annotated[
        str | None, typer.Option("--interaction", help="The contact it came in (int_...).")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Open a complaint; its deadlines come from its type's rule in the policy."""
    from datetime import datetime

    from clientkeep.complaints import services as complaints

    received = None
    if received_at is not None:
        try:
            received = datetime.fromisoformat(received_at)
        except ValueError:
            fail("received_at: give an ISO time such as 2026-12-01T09:30:00+00:00.")
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        view = complaints.open_complaint(
            complaints.OpenComplaint(
                customer_id=customer_id,
                type=complaint_type,
                summary=summary,
                desired_outcome=desired_outcome,
                channel=channel,
                received_at=received,
                interaction_id=interaction_id,
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    if as_json:
        print_json(as_dict(view))
        return
    out.print(
        f"opened: {view.id} (acknowledge by {view.acknowledge_due}, "
        f"final response by {view.final_response_due})",
        highlight=False,
    )


def _checklist(text: str | None) -> dict[str, bool] | None:
    if text is None:
        return None
    done = {part.strip() for part in text.split(",") if part.strip()}
    unknown = done - set(CHECKLIST)
    if unknown:
        fail(f"checklist: name only these: {', '.join(CHECKLIST)}.")
    return {name: name in done for name in CHECKLIST}


@app.command("move")
def move(
    complaint_id: ComplaintId,
    as_user: AsUser,
    step: Annotated[str, typer.Option("--step", help=f"One of: {', '.join(STEPS)}.")],
    reason: Annotated[
        str, typer.Option("--reason", "--note", help="Why (hold, escalate, reopen) or the note.")
    ] = "",
    resolution: Annotated[str, typer.Option("--resolution", help="Resolving: what was done.")] = "",
    checklist: Annotated[
        str | None,
        typer.Option(
            "--checklist",
            help=f"Resolving: the steps done, comma-separated, of: {', '.join(CHECKLIST)}.",
        ),
    ] = None,
    accepted: Annotated[
        str | None, typer.Option("--accepted", help=f"Resolving: {', '.join(ACCEPTED)}.")
    ] = None,
    owner: Annotated[
        str | None, typer.Option("--owner", help="Assigning: a member's username.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Take a step in handling a complaint."""
    from clientkeep.complaints import services as complaints

    c = container()
    actor = acting_as(c, as_user)
    owner_id = acting_as(c, owner).id if owner else None
    with cli_errors():
        view = complaints.move(
            complaint_id,
            complaints.MoveComplaint(
                step=step,
                note=reason,
                resolution=resolution,
                checklist=_checklist(checklist),
                customer_accepted=accepted,
                owner_id=owner_id,
            ),
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    if as_json:
        print_json(as_dict(view))
        return
    out.print(f"{view.id}: {view.state}", highlight=False)


@app.command("list")
def list_(
    as_user: AsUser,
    state: Annotated[
        str | None, typer.Option("--state", help=f"One of: {', '.join(STATES)}.")
    ] = None,
    due: Annotated[
        str | None, typer.Option("--due", help="overdue or nearly_due (of open cases).")
    ] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only the cases you own.")] = False,
    complaint_type: Annotated[str | None, typer.Option("--type", help="One type only.")] = None,
    customer: Annotated[
        str | None,
        typer.Option("--customer", metavar="CUS_ID", help="Only this customer's, newest first."),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=200)] = 50,
    cursor: Annotated[str | None, typer.Option("--cursor", help="From an earlier page.")] = None,
    as_json: AsJson = False,
) -> None:
    """The board of everyone's cases by their next deadline; or one customer's cases."""
    from clientkeep.complaints import services as complaints

    c = container()
    actor = acting_as(c, as_user)
    next_cursor = None
    with cli_errors():
        if customer is not None:
            rules = c.policy.complaints
            views = complaints.customer_complaints(
                customer,
                purpose=rules.purpose if rules else c.policy.default_purpose,
                uow=c.uow(),
                actor=actor,
                policy=c.policy,
                clock=c.clock,
            )
        else:
            page = complaints.board(
                state=state,
                due=due,
                owner_id=actor.id if mine else None,
                complaint_type=complaint_type,
                limit=limit,
                cursor=cursor,
                uow=c.uow(),
                actor=actor,
                policy=c.policy,
                clock=c.clock,
            )
            views, next_cursor = page.items, page.next_cursor
    items = [as_dict(v) for v in views]
    if as_json:
        print_json({"items": items, "next_cursor": next_cursor})
        return
    if not items:
        out.print("no complaints")
        return
    for i in items:
        out.print(_line(i), highlight=False, markup=False)
    if next_cursor:
        out.print(f"more: --cursor {next_cursor}", highlight=False)


@app.command("show")
def show(complaint_id: ComplaintId, as_user: AsUser, as_json: AsJson = False) -> None:
    """One complaint with its steps; audited."""
    from clientkeep.complaints import services as complaints

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        view = complaints.complaint_detail(
            complaint_id, uow=c.uow(), actor=actor, policy=c.policy, clock=c.clock
        )
    _done(view, as_json)


@app.command("letter")
def letter(complaint_id: ComplaintId, as_user: AsUser, as_json: AsJson = False) -> None:
    """The final response letter of a resolved complaint, as plain text; audited."""
    from clientkeep.complaints import services as complaints

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        text = complaints.final_response(
            complaint_id,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
            renderer=c.complaint_letters,
        )
    if as_json:
        print_json({"complaint_id": complaint_id, "letter": text})
        return
    typer.echo(text, nl=False)
