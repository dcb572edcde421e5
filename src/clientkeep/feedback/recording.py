"""Recording a customer's answer to a satisfaction question, and reading their answers.

A score is one of CSAT (1-5) or NPS (0-10), never both, and a whole number: a bool, a
fraction or a string is refused, so a slip cannot land as a score. An answer rates a
contact: linked to one of the customer's interactions it takes that contact's channel,
category and member of staff; without one, the member recording it is the one rated and the
channel and category are as given. What the customer said is sealed; it, and the score, are
shown only under a purpose whose projection shows the feedback field.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers import keyed_creation
from clientkeep.customers.services import load_customer
from clientkeep.customers.values import invisible_character, invisible_message
from clientkeep.feedback.model import (
    ID_LENGTH,
    PREFIX,
    RANGES,
    SCALES,
    Feedback,
    LinkedContact,
    Scale,
)
from clientkeep.feedback.ports import FeedbackUnitOfWork
from clientkeep.interactions import note_check
from clientkeep.interactions.vocabulary import CATEGORIES, CHANNELS
from clientkeep.policy.access import projection_for
from clientkeep.policy.model import Policy, Projection
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import InvalidInput, NotFound
from clientkeep.shared.uk_time import uk_month
from clientkeep.staff.directory import Directory, directory

PAGE_MAX = 100
ID_MAX = 64
# Older than this is a typing mistake, not a late answer.
OLDEST = timedelta(days=366)


@dataclass(frozen=True, slots=True)
class RecordFeedback:
    # Exactly one of the two: a whole number in its scale's range. Typed loosely on purpose:
    # an edge hands over what it was sent, and the rule that it is a whole number is here.
    csat: object = None
    nps: object = None
    comment: str | None = field(default=None, repr=False)
    interaction_id: str | None = None
    # Without an interaction: how the contact rated came and what it was about (or None).
    channel: str | None = None
    category: str | None = None
    # When the customer gave it; None: now. Never in the future.
    at: datetime | None = None
    # None: the policy's default purpose. It must use the feedback field.
    purpose: str | None = None


@dataclass(frozen=True, slots=True)
class FeedbackView:
    id: str
    customer_id: str
    at: datetime
    month: str
    purpose: str
    recorded_by: str
    recorded_by_name: str
    staff_id: str
    staff_name: str
    interaction_id: str | None
    channel: str | None
    category: str | None
    scale: str
    score: int
    comment: str | None = field(repr=False)


@dataclass(frozen=True, slots=True)
class Recorded:
    feedback: FeedbackView
    replayed: bool = False


@dataclass(frozen=True, slots=True)
class FeedbackPage:
    # False: the purpose read under does not show feedback, so nothing of it is listed.
    shown: bool
    items: list[FeedbackView]
    # Leads to older answers; None on the last page.
    next_cursor: str | None = None


def cursor_of(at: datetime, row_id: str) -> str:
    raw = f"{at.isoformat()}|{row_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def parse_cursor(raw: str | None) -> tuple[datetime, str] | None:
    if not raw:
        return None
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        at, row_id = text.split("|", 1)
        when = datetime.fromisoformat(at)
        # In UTC, as storage holds it: an offset that takes it past datetime's years is bad.
        when = when.astimezone(UTC) if when.tzinfo is not None else when
    except (binascii.Error, UnicodeDecodeError, ValueError, OverflowError):
        raise InvalidInput([("cursor", "Not a cursor this list gave.")]) from None
    if when.tzinfo is None or not row_id.startswith(f"{PREFIX}_") or len(row_id) > ID_LENGTH:
        raise InvalidInput([("cursor", "Not a cursor this list gave.")])
    return when, row_id


def feedback_field(policy: Policy) -> str:
    name = policy.field_roles.feedback
    if name is None:
        raise InvalidInput([("purpose", "This policy keeps no feedback.")])
    return name


def _score(value: object, name: str, scale: Scale) -> int:
    low, high = RANGES[scale]
    # bool is an int in Python: True must not pass for a score of 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput([(name, f"A whole number from {low} to {high}.")])
    if not low <= value <= high:
        raise InvalidInput([(name, f"From {low} to {high}.")])
    return value


def _scale_and_score(command: RecordFeedback) -> tuple[Scale, int]:
    given = {s: v for s, v in (("csat", command.csat), ("nps", command.nps)) if v is not None}
    if len(given) != 1:
        named = "nps" if "nps" in given and "csat" not in given else "csat"
        raise InvalidInput(
            [(named, f"Give exactly one score: {' or '.join(SCALES)}, not both and not neither.")]
        )
    ((name, value),) = given.items()
    scale = Scale(name)
    return scale, _score(value, name, scale)


def _checked(
    policy: Policy, projection: Projection, command: RecordFeedback, now: datetime
) -> tuple[Scale, int, str | None, datetime]:
    notes = feedback_field(policy)
    if notes not in policy.purposes[projection.purpose].fields:
        raise InvalidInput(
            [("purpose", f"The {projection.purpose} purpose does not use feedback.")]
        )
    scale, score = _scale_and_score(command)
    errors: list[tuple[str, str]] = []
    comment = (command.comment or "").strip() or None
    longest = policy.fields[notes].max_length or 2000
    if comment is not None and len(comment) > longest:
        errors.append(("comment", f"At most {longest} characters."))
    found = invisible_character(comment) if comment is not None else None
    if found is not None:
        errors.append(("comment", invisible_message(*found)))
    elif comment is not None:
        errors.extend(note_check.never_stored("comment", comment))
    if command.interaction_id is not None:
        if command.channel is not None:
            errors.append(("channel", "Comes from the contact it rates: leave it out."))
        if command.category is not None:
            errors.append(("category", "Comes from the contact it rates: leave it out."))
        if not 0 < len(command.interaction_id) <= ID_MAX:
            errors.append(("interaction_id", "Not an interaction's id."))
    if command.channel is not None and command.channel not in CHANNELS:
        errors.append(("channel", f"Choose one of: {', '.join(CHANNELS)}."))
    if command.category is not None and command.category not in CATEGORIES:
        errors.append(("category", f"Choose one of: {', '.join(CATEGORIES)}."))
    at = command.at or now
    if at.tzinfo is None:
        errors.append(("at", "Give a time with its offset from UTC."))
    elif at > now:
        errors.append(("at", "Cannot be in the future."))
    elif at < now - OLDEST:
        errors.append(("at", "Record answers given in the last year only."))
    if errors:
        raise InvalidInput(errors)
    return scale, score, comment, at


def _fingerprint_source(customer_id: str, command: RecordFeedback) -> str:
    return json.dumps(
        {
            "customer_id": customer_id,
            "csat": repr(command.csat),
            "nps": repr(command.nps),
            "comment": command.comment,
            "interaction_id": command.interaction_id,
            "channel": command.channel,
            "category": command.category,
            "at": None if command.at is None else command.at.isoformat(),
            "purpose": command.purpose,
        },
        sort_keys=True,
    )


def view_of(found: Feedback, people: Directory, *, shown: bool = True) -> FeedbackView:
    return FeedbackView(
        id=found.id,
        customer_id=found.customer_id,
        at=found.at,
        month=found.month,
        purpose=found.purpose,
        recorded_by=found.recorded_by,
        recorded_by_name=people.label(found.recorded_by),
        staff_id=found.staff_id,
        staff_name=people.label(found.staff_id),
        interaction_id=found.interaction_id,
        channel=found.channel,
        category=found.category,
        scale=found.scale.value,
        score=found.score,
        comment=found.comment if shown else None,
    )


def _contact(uow: FeedbackUnitOfWork, customer_id: str, interaction_id: str) -> LinkedContact:
    found = uow.feedback.contact(interaction_id)
    if found is None or found.customer_id != customer_id:
        # One answer for "no such contact" and "another customer's": ids are not probed.
        raise InvalidInput([("interaction_id", "No such contact with this customer.")])
    return found


@records_denials("customer.feedback_recorded", customer="customer_id")
def record_feedback(
    customer_id: str,
    command: RecordFeedback,
    *,
    uow: FeedbackUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    idempotency_key: str | None = None,
) -> Recorded:
    """Record one answer, and its audit event, in one unit. With an idempotency key, the same
    request again answers with the answer first recorded; another request under the same key
    is a conflict."""
    return keyed_creation.once(
        lambda: _record_once(
            customer_id,
            command,
            uow=uow,
            actor=actor,
            policy=policy,
            clock=clock,
            idempotency_key=idempotency_key,
        )
    )


def _record_once(
    customer_id: str,
    command: RecordFeedback,
    *,
    uow: FeedbackUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    idempotency_key: str | None,
) -> Recorded:
    projection = projection_for(policy, actor.role, command.purpose or policy.default_purpose)
    now = clock.now()
    scale, score, comment, at = _checked(policy, projection, command, now)
    notes = feedback_field(policy)
    with uow:
        uow.customers.lock([customer_id])
        customer = load_customer(uow, customer_id)
        keyed = keyed_creation.begin(
            uow,
            actor,
            kind="feedback",
            prefix=PREFIX,
            key=idempotency_key,
            request=_fingerprint_source(customer.id, command),
            customer_id=customer.id,
        )
        if keyed.replay:
            earlier = uow.feedback.get(keyed.record_id)
            if earlier is None:
                raise NotFound("The answer this key recorded is no longer held.")
            people = directory(uow.staff)
            return Recorded(view_of(earlier, people, shown=projection.shows(notes)), replayed=True)
        contact = (
            None
            if command.interaction_id is None
            else _contact(uow, customer.id, command.interaction_id)
        )
        made = Feedback(
            id=keyed.record_id,
            customer_id=customer.id,
            at=at,
            month=uk_month(at),
            purpose=projection.purpose,
            recorded_by=actor.id,
            staff_id=contact.staff_id if contact else actor.id,
            interaction_id=contact.id if contact else None,
            channel=contact.channel if contact else command.channel,
            category=contact.category if contact else command.category,
            scale=scale,
            score=score,
            comment=comment,
        )
        # The customer's lock already makes a second request with this key wait for this
        # one; the key goes first anyway, so that without the lock it would replay this
        # answer rather than collide on the id both derive.
        keyed_creation.finish(uow, actor, keyed, customer.id, now)
        uow.feedback.add(made)
        uow.audit.append(
            entry_for(
                actor,
                "customer.feedback_recorded",
                customer_id=customer.id,
                purpose=projection.purpose,
                fields=(notes,),
                detail={"feedback_id": made.id, "scale": scale.value},
            )
        )
        people = directory(uow.staff)
        uow.commit()
    return Recorded(view_of(made, people, shown=projection.shows(notes)))


@records_denials("customer.feedback_read", customer="customer_id")
def customer_feedback(
    customer_id: str,
    *,
    purpose: str,
    uow: FeedbackUnitOfWork,
    actor: Actor,
    policy: Policy,
    cursor: str | None = None,
    limit: int = 50,
) -> FeedbackPage:
    """A page of the customer's answers, newest first, under a purpose whose projection shows
    the feedback field (under any other, nothing of them). Audited naming the customer and,
    when any answer is shown, the feedback field."""
    projection = projection_for(policy, actor.role, purpose)
    notes = policy.field_roles.feedback
    shown = notes is not None and projection.shows(notes)
    size = max(1, min(limit, PAGE_MAX))
    before = parse_cursor(cursor)
    with uow:
        load_customer(uow, customer_id)
        found = uow.feedback.page(customer_id, before=before, limit=size + 1) if shown else []
        more, found = len(found) > size, found[:size]
        people = directory(uow.staff)
        uow.audit.append(
            entry_for(
                actor,
                "customer.feedback_read",
                customer_id=customer_id,
                purpose=projection.purpose,
                fields=(notes,) if shown and notes is not None and found else (),
                detail={"answers": len(found)},
            )
        )
        uow.commit()
    items = [view_of(f, people) for f in found]
    return FeedbackPage(
        shown=shown,
        items=items,
        next_cursor=cursor_of(found[-1].at, found[-1].id) if more and found else None,
    )
