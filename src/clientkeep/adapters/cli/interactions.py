"""`clientkeep interaction log|correct|list|follow-ups`: log a contact with a customer,
correct one (a new entry naming the old, with its reason), read the customer's timeline a
page at a time, and list the open follow-ups (yours, or the team's).

Notes are checked before saving: a note holding what looks like a card number, bank details,
a National Insurance number, a password or health details is refused in one line naming each
hit's field, kind and characters (never the text). Run it again with `--redact` to save the
redacted version, or `--keep KIND` to keep a kind as written (never a card number or a
password).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from clientkeep.adapters.cli._common import cli_errors, container, fail, out, print_json
from clientkeep.adapters.cli.customers import AsJson, AsUser, acting_as

if TYPE_CHECKING:
    from clientkeep import bootstrap
    from clientkeep.interactions.follow_ups import FollowUpView
    from clientkeep.interactions.recording import Logged, NoteWarnings
    from clientkeep.interactions.timeline import TimelinePage

app = typer.Typer(help="Contacts with customers: log, correct, the timeline, follow-ups.")

# Written out so `--help` need not load the domain (interactions.vocabulary and
# interactions.note_check); a unit test keeps them equal.
CHANNELS = ("phone", "email", "in_person", "web", "letter", "chat")
CATEGORIES = ("enquiry", "request", "complaint", "feedback", "update", "other")
OUTCOMES = ("resolved", "follow_up", "escalated", "transferred", "no_response")
HIT_KINDS = ("card", "sort_code", "account_number", "ni_number", "password", "health")
NEVER_KEPT = ("card", "password")
TIMELINE_MAX = 200

CustomerId = Annotated[str, typer.Argument(help="The customer's id (cus_...).")]
InteractionId = Annotated[str, typer.Argument(help="The contact's id (int_...).")]
OptionalPurpose = Annotated[
    str | None,
    typer.Option("--purpose", help="A purpose from the policy; its default purpose if not given."),
]
OccurredAt = Annotated[
    str | None,
    typer.Option(
        "--occurred-at",
        metavar="WHEN",
        help="When it happened (ISO 8601; without an offset, UK time); now if not given.",
    ),
]
FollowUpDue = Annotated[
    str | None,
    typer.Option(
        "--follow-up-due", metavar="YYYY-MM-DD", help="With --outcome follow_up: a UK date."
    ),
]
Redact = Annotated[
    bool,
    typer.Option("--redact", help="After a warning: save the notes with each hit removed."),
]
Keep = Annotated[
    list[str] | None,
    typer.Option(
        "--keep",
        metavar="KIND",
        help=f"After a warning: keep this kind as written; repeat for each. One of "
        f"{', '.join(k for k in HIT_KINDS if k not in NEVER_KEPT)} (card numbers and "
        "passwords are never kept).",
    ),
]


def _when(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        fail("occurred_at: give a time such as 2026-11-23T09:30 (UK time) or with an offset", 2)


def _day(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{name}: give a date such as 2026-11-30", 2)


def _staff_id(c: bootstrap.Container, username: str) -> str:
    with cli_errors(), c.uow().reading() as uow:
        member = uow.staff.by_username(username.strip().lower())
    if member is None or not member.active:
        fail("follow_up_owner: no active member of staff has the username given by --owner", 4)
    return member.id


def _warned(exc: NoteWarnings, *, as_json: bool) -> NoReturn:
    """One line naming each hit (never its text), and how to go on; the hits as JSON too."""
    if as_json:
        print_json(
            {
                "error": "note_warnings",
                "hits": [
                    {"field": h.field, "kind": h.kind.value, "start": h.start, "end": h.end}
                    for h in exc.hits
                ],
                "keepable": list(exc.keepable),
            }
        )
    problems = "; ".join(f"{field}: {message}" for field, message in exc.errors)
    keep = " ".join(f"--keep {k}" for k in exc.keepable)
    then = "run it again with --redact to save the redacted version"
    if keep:
        then += f", or with {keep} to keep it as written"
    fail(f"{problems}; {then}", 2)


def _saved(verb: str, done: Logged, *, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "interaction_id": done.interaction_id,
                "redacted": list(done.redacted),
                "kept": list(done.kept),
            }
        )
        return
    line = f"{verb}: {done.interaction_id}"
    if done.redacted:
        line += f" (redacted: {', '.join(done.redacted)})"
    if done.kept:
        line += f" (kept as written: {', '.join(done.kept)})"
    out.print(line, highlight=False, soft_wrap=True)


@app.command("log")
def log(
    customer_id: CustomerId,
    as_user: AsUser,
    channel: Annotated[str, typer.Option("--channel", help=f"One of {', '.join(CHANNELS)}.")],
    category: Annotated[str, typer.Option("--category", help=f"One of {', '.join(CATEGORIES)}.")],
    nature: Annotated[
        str, typer.Option("--nature", help="What the customer contacted us about; sealed.")
    ],
    actions: Annotated[str, typer.Option("--actions", help="What was done; sealed.")],
    outcome: Annotated[
        str, typer.Option("--outcome", help=f"One of {', '.join(OUTCOMES)}.")
    ] = "resolved",
    follow_up_due: FollowUpDue = None,
    owner: Annotated[
        str | None,
        typer.Option(
            "--owner",
            metavar="USERNAME",
            help="Whose follow-up queue it joins; yours if not given.",
        ),
    ] = None,
    follows_up: Annotated[
        str | None,
        typer.Option(
            "--follows-up", metavar="INT_ID", help="The open follow-up this contact is: closes it."
        ),
    ] = None,
    occurred_at: OccurredAt = None,
    purpose: OptionalPurpose = None,
    redact: Redact = False,
    keep: Keep = None,
    as_json: AsJson = False,
) -> None:
    """Log one contact with the customer: its notes checked, sealed and audited."""
    from clientkeep.interactions import recording

    when = _when(occurred_at)
    due = _day(follow_up_due, "follow_up_due")
    c = container()
    actor = acting_as(c, as_user)
    owner_id = _staff_id(c, owner) if owner is not None else None
    with cli_errors():
        try:
            done = recording.log_interaction(
                customer_id,
                recording.LogInteraction(
                    channel=channel,
                    category=category,
                    nature=nature,
                    actions_taken=actions,
                    outcome=outcome,
                    occurred_at=when,
                    follow_up_due=due,
                    follow_up_owner=owner_id,
                    follows_up=follows_up,
                    purpose=purpose,
                    redact=redact,
                    keep=frozenset(keep or ()),
                ),
                uow=c.uow(),
                actor=actor,
                policy=c.policy,
                clock=c.clock,
            )
        except recording.NoteWarnings as warned:
            _warned(warned, as_json=as_json)
    _saved("logged", done, as_json=as_json)


@app.command("correct")
def correct(
    customer_id: CustomerId,
    interaction_id: InteractionId,
    as_user: AsUser,
    reason: Annotated[str, typer.Option("--reason", help="Why it is corrected; required.")],
    nature: Annotated[str | None, typer.Option("--nature", help="The corrected nature.")] = None,
    actions: Annotated[
        str | None, typer.Option("--actions", help="The corrected actions taken.")
    ] = None,
    channel: Annotated[str | None, typer.Option("--channel", help="The corrected channel.")] = None,
    category: Annotated[
        str | None, typer.Option("--category", help="The corrected category.")
    ] = None,
    outcome: Annotated[str | None, typer.Option("--outcome", help="The corrected outcome.")] = None,
    occurred_at: OccurredAt = None,
    follow_up_due: FollowUpDue = None,
    redact: Redact = False,
    keep: Keep = None,
    as_json: AsJson = False,
) -> None:
    """Correct a contact: a new entry with the reason; the old one stays, marked as corrected.

    What is not given stays as it was."""
    from clientkeep.interactions import recording

    when = _when(occurred_at)
    due = _day(follow_up_due, "follow_up_due")
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        try:
            done = recording.correct_interaction(
                customer_id,
                interaction_id,
                recording.CorrectInteraction(
                    reason=reason,
                    nature=nature,
                    actions_taken=actions,
                    channel=channel,
                    category=category,
                    outcome=outcome,
                    occurred_at=when,
                    follow_up_due=due,
                    redact=redact,
                    keep=frozenset(keep or ()),
                ),
                uow=c.uow(),
                actor=actor,
                policy=c.policy,
                clock=c.clock,
            )
        except recording.NoteWarnings as warned:
            _warned(warned, as_json=as_json)
    _saved("corrected", done, as_json=as_json)


def _utc(at: datetime) -> str:
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def timeline_json(page: TimelinePage) -> dict[str, Any]:
    return {
        "purpose": page.purpose,
        "items": [
            {
                "kind": e.kind,
                "id": e.entry_id,
                "at": e.at.isoformat(),
                "by": e.staff_id,
                "by_name": page.staff.get(e.staff_id) if e.staff_id else None,
                "title": e.title,
                "details": [{"label": label, "text": text} for label, text in e.details],
                "fields": sorted(e.fields),
                "parent_id": e.parent_id,
            }
            for e in page.entries
        ],
        "next_cursor": page.next_cursor,
    }


@app.command("list")
def list_(
    customer_id: CustomerId,
    as_user: AsUser,
    purpose: OptionalPurpose = None,
    cursor: Annotated[
        str | None, typer.Option("--cursor", help="The cursor a page gave, for older entries.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=TIMELINE_MAX)] = 50,
    as_json: AsJson = False,
) -> None:
    """The customer's timeline, newest first, as far as the purpose shows it; audited.

    Contacts, changes to their details, verifications, disclosures, complaints, feedback."""
    from clientkeep.interactions import timeline as timelines

    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        page = timelines.timeline(
            customer_id,
            purpose=purpose or c.policy.default_purpose,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            sources=c.timeline_sources,
            cursor=cursor,
            limit=limit,
        )
    if as_json:
        print_json(timeline_json(page))
        return
    for e in page.entries:
        by = f"  by {page.staff[e.staff_id]}" if e.staff_id in page.staff else ""
        out.print(
            f"{_utc(e.at)}  {e.title}{by}  [{e.entry_id}]",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        for label, text in e.details:
            out.print(f"    {label}: {text}", highlight=False, markup=False, soft_wrap=True)
    if not page.entries:
        out.print("nothing on the timeline under this purpose", highlight=False)
    if page.next_cursor:
        out.print(f"older: --cursor {page.next_cursor}", highlight=False, soft_wrap=True)


def follow_up_json(f: FollowUpView) -> dict[str, Any]:
    return {
        "interaction_id": f.interaction_id,
        "customer_id": f.customer_id,
        "display_name": f.display_name,
        "due": f.due.isoformat(),
        "overdue": f.overdue,
        "owner_id": f.owner_id,
        "owner_name": f.owner_name,
        "logged_by": f.logged_by,
        "occurred_at": f.occurred_at.isoformat(),
        "channel": f.channel,
        "category": f.category,
        "purpose": f.purpose,
    }


@app.command("follow-ups")
def follow_ups(
    as_user: AsUser,
    team: Annotated[bool, typer.Option("--team", help="Everyone's, not only yours.")] = False,
    due_before: Annotated[
        str | None,
        typer.Option("--due-before", metavar="YYYY-MM-DD", help="Due on or before this UK date."),
    ] = None,
    purpose: OptionalPurpose = None,
    as_json: AsJson = False,
) -> None:
    """Open follow-ups, due first: yours, or with --team everyone's.

    Log the contact with `interaction log ... --follows-up INT_ID` to close one."""
    from clientkeep.interactions import follow_ups as queue

    due = _day(due_before, "due_before")
    c = container()
    actor = acting_as(c, as_user)
    with cli_errors():
        found = queue.follow_ups(
            team=team,
            due_before=due,
            purpose=purpose,
            uow=c.uow(),
            actor=actor,
            policy=c.policy,
            clock=c.clock,
        )
    if as_json:
        print_json({"items": [follow_up_json(f) for f in found]})
        return
    if not found:
        out.print("no open follow-ups", highlight=False)
        return
    for f in found:
        late = " (overdue)" if f.overdue else ""
        whose = f"  owner {f.owner_name}" if team else ""
        out.print(
            f"due {f.due.isoformat()}{late}  {f.display_name} [{f.customer_id}]  "
            f"{f.channel.replace('_', ' ')}: {f.category}  [{f.interaction_id}]{whose}",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
