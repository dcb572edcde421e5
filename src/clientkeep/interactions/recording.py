"""Logging a contact with a customer, and correcting one (never in place).

A contact is logged under a purpose whose projection shows the contact-notes field; its
notes are checked before saving (``note_check``): a note with hits is refused, naming each
hit's field, kind and offsets, unless the request redacts them or keeps the kinds it may
keep. Card numbers and passwords are never stored as written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from clientkeep.audit.denials import records_denials
from clientkeep.audit.model import entry_for
from clientkeep.customers import keyed_creation
from clientkeep.customers.services import load_customer
from clientkeep.customers.values import invisible_character, invisible_message
from clientkeep.interactions import note_check
from clientkeep.interactions.model import Interaction, Notes
from clientkeep.interactions.note_check import Hit, HitKind
from clientkeep.interactions.ports import InteractionUnitOfWork
from clientkeep.interactions.vocabulary import (
    CATEGORIES,
    CHANNELS,
    OUTCOMES,
    Category,
    Channel,
    Outcome,
)
from clientkeep.policy.access import projection_for
from clientkeep.policy.model import Policy, Projection
from clientkeep.shared.actor import Actor
from clientkeep.shared.clock import Clock
from clientkeep.shared.errors import Conflict, InvalidInput, NotFound
from clientkeep.shared.ids import new_id
from clientkeep.shared.uk_time import UK, uk_date

# A contact logged a little ahead of the server's clock is another machine's clock skew.
CLOCK_SKEW = timedelta(minutes=5)
# Older than this is a typing mistake, not a late note.
OLDEST = timedelta(days=366)
# A follow-up further off than this is not a follow-up.
FURTHEST_FOLLOW_UP = timedelta(days=366)
TEXT_MAX_DEFAULT = 4000
REASON_MAX = 1000
SKIPPED_HOUR = "No such time in the UK: the clocks went forward an hour then."
LOGGED = "interaction.logged"
CORRECTED = "interaction.corrected"


class NoteWarnings(InvalidInput):
    """The notes hold what the checker warns about: one error per hit (field, kind and the
    characters it spans), never the text. ``redacted`` is each field as it would be saved
    redacted, for the agent's own screen."""

    code = "note_warnings"

    def __init__(
        self,
        errors: list[tuple[str, str]],
        hits: list[Hit],
        redacted: Mapping[str, str],
    ) -> None:
        super().__init__(errors)
        self.hits = hits
        self.redacted = dict(redacted)

    @property
    def keepable(self) -> tuple[str, ...]:
        """The kinds found that the agent may keep as written."""
        return note_check.kinds_of(h for h in self.hits if h.kind not in note_check.NEVER_KEPT)


@dataclass(frozen=True, slots=True)
class LogInteraction:
    channel: str
    category: str
    nature: str = field(repr=False)
    actions_taken: str = field(repr=False)
    outcome: str = Outcome.RESOLVED.value
    # None: now. A naive time is read as UK time.
    occurred_at: datetime | None = None
    follow_up_due: date | None = None
    # Whose queue the follow-up is in; None: the member logging it.
    follow_up_owner: str | None = None
    # The open follow-up this contact is (it closes it).
    follows_up: str | None = None
    # None: the policy's default purpose.
    purpose: str | None = None
    # After a warning: save the redacted version, and/or keep these kinds as written.
    redact: bool = False
    keep: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CorrectInteraction:
    """A correction of an interaction: a new one naming it. What is None keeps its value."""

    reason: str = field(repr=False)
    nature: str | None = field(default=None, repr=False)
    actions_taken: str | None = field(default=None, repr=False)
    channel: str | None = None
    category: str | None = None
    outcome: str | None = None
    occurred_at: datetime | None = None
    follow_up_due: date | None = None
    redact: bool = False
    keep: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Logged:
    interaction_id: str
    # The checker's kinds redacted and kept, each once.
    redacted: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    replayed: bool = False


def notes_part(policy: Policy, projection: Projection) -> str:
    """The contact-notes field, if this projection shows it; else a 422 on ``purpose``."""
    part = policy.field_roles.contact_notes
    if part is None or part not in projection.shown:
        raise InvalidInput(
            [("purpose", f"The {projection.purpose} purpose does not keep notes of contacts.")]
        )
    return part


def _text_errors(name: str, text: str, limit: int, errors: list[tuple[str, str]]) -> None:
    if not text.strip():
        errors.append((name, "Write something here."))
        return
    if len(text) > limit:
        errors.append((name, f"Use at most {limit} characters."))
        return
    found = invisible_character(text)
    if found is not None:
        errors.append((name, invisible_message(*found)))


def _aware(at: datetime) -> datetime:
    return at.replace(tzinfo=UK) if at.tzinfo is None else at


def _never_happened(at: datetime | None) -> bool:
    """A naive UK time in the hour skipped when the clocks go forward (01:30 on the last
    Sunday of March): read as UK time it would be saved as another hour than typed."""
    if at is None or at.tzinfo is not None:
        return False
    there = at.replace(tzinfo=UK).astimezone(UTC).astimezone(UK)
    return there.replace(tzinfo=None) != at


def _when_errors(occurred_at: datetime, now: datetime, errors: list[tuple[str, str]]) -> None:
    if occurred_at > now + CLOCK_SKEW:
        errors.append(("occurred_at", "A contact cannot have happened in the future."))
    elif occurred_at < now - OLDEST:
        errors.append(("occurred_at", "Log contacts from the last year only."))


def _follow_up_errors(
    outcome: str, due: date | None, now: datetime, errors: list[tuple[str, str]]
) -> None:
    if outcome == Outcome.FOLLOW_UP.value:
        today = uk_date(now)
        if due is None:
            errors.append(("follow_up_due", "Say when the follow-up is due."))
        elif due < today:
            errors.append(("follow_up_due", "A follow-up is due today or later."))
        elif due > today + FURTHEST_FOLLOW_UP:
            errors.append(("follow_up_due", "A follow-up is due within a year."))
    elif due is not None:
        errors.append(("follow_up_due", "Only a contact needing a follow-up has a due date."))


def _vocabulary_errors(
    channel: str, category: str, outcome: str, errors: list[tuple[str, str]]
) -> None:
    for name, value, allowed in (
        ("channel", channel, CHANNELS),
        ("category", category, CATEGORIES),
        ("outcome", outcome, OUTCOMES),
    ):
        if value not in allowed:
            errors.append((name, f"Choose one of: {', '.join(allowed)}."))


def _keep_errors(keep: frozenset[str], errors: list[tuple[str, str]]) -> None:
    for kind in sorted(keep):
        if kind not in note_check.HIT_KINDS:
            errors.append(("keep", f"Choose from: {', '.join(note_check.HIT_KINDS)}."))
        elif HitKind(kind) in note_check.NEVER_KEPT:
            errors.append(
                ("keep", "Card numbers and passwords are never kept: save the redacted version.")
            )


@dataclass(frozen=True, slots=True)
class _Checked:
    texts: dict[str, str]
    redacted: tuple[str, ...]
    kept: tuple[str, ...]

    @property
    def warnings(self) -> tuple[str, ...]:
        return note_check.kinds_of(Hit(HitKind(k), "", 0, 0) for k in (*self.redacted, *self.kept))


def _checked_notes(
    texts: Mapping[str, str],
    *,
    redact: bool,
    keep: frozenset[str],
    errors: list[tuple[str, str]],
) -> _Checked:
    """The texts as they will be saved; raises with every problem at once."""
    hits = note_check.check_all({n: t for n, t in texts.items() if t})
    kept = [h for h in hits if h.kind.value in keep and h.kind not in note_check.NEVER_KEPT]
    rest = [h for h in hits if h not in kept]
    refused = [] if redact else rest
    if errors or refused:
        hit_errors = [
            (h.field, f"{note_check.WARNINGS[h.kind]} (characters {h.start + 1}-{h.end})")
            for h in refused
        ]
        all_errors = errors + hit_errors
        if refused:
            redacted = {
                n: note_check.redact(t, [h for h in hits if h.field == n and h not in kept])
                for n, t in texts.items()
            }
            raise NoteWarnings(all_errors, refused, redacted)
        raise InvalidInput(all_errors)
    saved = {n: note_check.redact(t, [h for h in rest if h.field == n]) for n, t in texts.items()}
    return _Checked(saved, note_check.kinds_of(rest), note_check.kinds_of(kept))


def _text_limit(policy: Policy, part: str) -> int:
    return policy.fields[part].max_length or TEXT_MAX_DEFAULT


def _fingerprint_source(customer_id: str, command: LogInteraction) -> str:
    return json.dumps(
        {
            "interaction": customer_id,
            "channel": command.channel,
            "category": command.category,
            "nature": command.nature,
            "actions_taken": command.actions_taken,
            "outcome": command.outcome,
            "occurred_at": command.occurred_at.isoformat() if command.occurred_at else None,
            "follow_up_due": command.follow_up_due.isoformat() if command.follow_up_due else None,
            "follow_up_owner": command.follow_up_owner,
            "follows_up": command.follows_up,
            "purpose": command.purpose,
            "redact": command.redact,
            "keep": sorted(command.keep),
        },
        sort_keys=True,
    )


def _open_follow_up(
    uow: InteractionUnitOfWork, follow_up_id: str, customer_id: str
) -> Interaction | None:
    found = uow.interactions.get(follow_up_id)
    if (
        found is None
        or found.customer_id != customer_id
        or found.outcome is not Outcome.FOLLOW_UP
        or uow.interactions.is_corrected(found.id)
        or uow.interactions.is_followed_up(found.id)
    ):
        return None
    return found


@records_denials(LOGGED, customer="customer_id")
def log_interaction(
    customer_id: str,
    command: LogInteraction,
    *,
    uow: InteractionUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    idempotency_key: str | None = None,
) -> Logged:
    """Log one contact with the customer; the interaction and its audit event in one unit.
    With an Idempotency-Key, the same request again answers with the contact it logged."""
    return keyed_creation.once(
        lambda: _log_once(
            customer_id,
            command,
            uow=uow,
            actor=actor,
            policy=policy,
            clock=clock,
            idempotency_key=idempotency_key,
        )
    )


def _log_once(
    customer_id: str,
    command: LogInteraction,
    *,
    uow: InteractionUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
    idempotency_key: str | None,
) -> Logged:
    projection = projection_for(policy, actor.role, command.purpose or policy.default_purpose)
    part = notes_part(policy, projection)
    now = clock.now()
    occurred_at = _aware(command.occurred_at) if command.occurred_at else now
    errors: list[tuple[str, str]] = []
    _vocabulary_errors(command.channel, command.category, command.outcome, errors)
    _when_errors(occurred_at, now, errors)
    if _never_happened(command.occurred_at):
        errors.append(("occurred_at", SKIPPED_HOUR))
    _follow_up_errors(command.outcome, command.follow_up_due, now, errors)
    limit = _text_limit(policy, part)
    _text_errors("nature", command.nature, limit, errors)
    _text_errors("actions_taken", command.actions_taken, limit, errors)
    _keep_errors(command.keep, errors)
    if command.follow_up_owner is not None and command.outcome != Outcome.FOLLOW_UP.value:
        errors.append(("follow_up_owner", "Only a contact needing a follow-up has an owner."))
    with uow:
        uow.customers.lock([customer_id])
        load_customer(uow, customer_id)
        keyed = keyed_creation.begin(
            uow,
            actor,
            kind="interaction",
            prefix="int",
            key=idempotency_key,
            request=_fingerprint_source(customer_id, command),
            customer_id=customer_id,
        )
        if keyed.replay:
            replayed = uow.interactions.get(keyed.record_id)
            if replayed is None:
                raise NotFound("The contact this key logged is no longer held.")
            uow.commit()
            return Logged(replayed.id, replayed=True)
        if (
            command.follows_up is not None
            and _open_follow_up(uow, command.follows_up, customer_id) is None
        ):
            errors.append(("follows_up", "No open follow-up with this id for this customer."))
        owner = command.follow_up_owner
        member = uow.staff.get(owner) if owner is not None else None
        if owner is not None and (member is None or not member.active):
            # A deactivated member's queue is read by no one: the follow-up would be lost.
            errors.append(("follow_up_owner", "No active member of staff has this id."))
        checked = _checked_notes(
            {"nature": command.nature, "actions_taken": command.actions_taken},
            redact=command.redact,
            keep=command.keep,
            errors=errors,
        )
        follow_up = command.outcome == Outcome.FOLLOW_UP.value
        made = Interaction(
            id=keyed.record_id,
            customer_id=customer_id,
            staff_id=actor.id,
            occurred_at=occurred_at,
            recorded_at=now,
            channel=Channel(command.channel),
            category=Category(command.category),
            outcome=Outcome(command.outcome),
            purpose=projection.purpose,
            notes=Notes(checked.texts["nature"], checked.texts["actions_taken"]),
            follow_up_due=command.follow_up_due if follow_up else None,
            follow_up_owner=(owner or actor.id) if follow_up else None,
            follows_up=command.follows_up,
            warnings=checked.warnings,
        )
        # The key goes first: a concurrent request with it (for another customer, so not
        # held back by this customer's lock) waits on the key and answers as a retry, rather
        # than colliding with this one on the id both derive from it.
        keyed_creation.finish(uow, actor, keyed, customer_id, now)
        uow.interactions.add(made)
        _audit(uow, actor, LOGGED, made, part, checked)
        uow.commit()
    return Logged(made.id, redacted=checked.redacted, kept=checked.kept)


def _audit(
    uow: InteractionUnitOfWork,
    actor: Actor,
    action: str,
    made: Interaction,
    part: str,
    checked: _Checked,
) -> None:
    uow.audit.append(
        entry_for(
            actor,
            action,
            customer_id=made.customer_id,
            purpose=made.purpose,
            fields=(part,),
            detail={
                "interaction_id": made.id,
                "channel": made.channel.value,
                "category": made.category.value,
                "outcome": made.outcome.value,
                "follows_up": made.follows_up,
                "corrects": made.corrects,
                "redacted": ",".join(checked.redacted),
                "kept": ",".join(checked.kept),
            },
        )
    )


@records_denials(CORRECTED, customer="customer_id")
def correct_interaction(
    customer_id: str,
    interaction_id: str,
    command: CorrectInteraction,
    *,
    uow: InteractionUnitOfWork,
    actor: Actor,
    policy: Policy,
    clock: Clock,
) -> Logged:
    """A new interaction correcting one, with its reason; the old one stays, marked."""
    now = clock.now()
    with uow:
        uow.customers.lock([customer_id])
        load_customer(uow, customer_id)
        old = uow.interactions.get(interaction_id)
        if old is None or old.customer_id != customer_id:
            raise NotFound("No such contact for this customer.")
        projection = projection_for(policy, actor.role, old.purpose)
        part = notes_part(policy, projection)
        if uow.interactions.is_corrected(old.id):
            raise Conflict(
                "This contact was corrected already: correct its newest version.",
                field="interaction_id",
            )
        channel = command.channel or old.channel.value
        category = command.category or old.category.value
        outcome = command.outcome or old.outcome.value
        occurred_at = _aware(command.occurred_at) if command.occurred_at else old.occurred_at
        due = command.follow_up_due
        if due is None and command.outcome is None:
            due = old.follow_up_due
        errors: list[tuple[str, str]] = []
        _vocabulary_errors(channel, category, outcome, errors)
        if command.occurred_at is not None:
            _when_errors(occurred_at, now, errors)
        if _never_happened(command.occurred_at):
            errors.append(("occurred_at", SKIPPED_HOUR))
        if due != old.follow_up_due or outcome != old.outcome.value:
            _follow_up_errors(outcome, due, now, errors)
        limit = _text_limit(policy, part)
        nature = old.notes.nature if command.nature is None else command.nature
        actions = command.actions_taken
        if actions is None:
            actions = old.notes.actions_taken
        _text_errors("nature", nature, limit, errors)
        _text_errors("actions_taken", actions, limit, errors)
        _text_errors("reason", command.reason, REASON_MAX, errors)
        _keep_errors(command.keep, errors)
        # Only what this correction changes is checked: the old text was checked when logged
        # (a form sending the old text back unchanged must not be warned of what was kept).
        texts = {"reason": command.reason}
        if nature != old.notes.nature:
            texts["nature"] = nature
        if actions != old.notes.actions_taken:
            texts["actions_taken"] = actions
        checked = _checked_notes(texts, redact=command.redact, keep=command.keep, errors=errors)
        follow_up = outcome == Outcome.FOLLOW_UP.value
        made = Interaction(
            id=new_id("int"),
            customer_id=customer_id,
            staff_id=actor.id,
            occurred_at=occurred_at,
            recorded_at=now,
            channel=Channel(channel),
            category=Category(category),
            outcome=Outcome(outcome),
            purpose=old.purpose,
            notes=Notes(
                checked.texts.get("nature", nature),
                checked.texts.get("actions_taken", actions),
                checked.texts["reason"],
            ),
            follow_up_due=due if follow_up else None,
            follow_up_owner=(old.follow_up_owner or actor.id) if follow_up else None,
            corrects=old.id,
            warnings=note_check.kinds_of(
                Hit(HitKind(k), "", 0, 0) for k in (*old.warnings, *checked.warnings)
            ),
        )
        uow.interactions.add(made)
        _audit(uow, actor, CORRECTED, made, part, checked)
        uow.commit()
    return Logged(made.id, redacted=checked.redacted, kept=checked.kept)
