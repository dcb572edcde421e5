"""The demo's synthetic history: contacts, follow-ups, complaints and feedback.

Without it a new demo's timeline, follow-ups, complaints board and satisfaction dashboard
would all be empty. Everything goes through the real use cases, each at a moment in the past
(its own clock), so deadlines, ageing and months come out as they would in a real book. The
texts are fixed phrases: nothing personal, and nothing the note checker warns about.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clientkeep import bootstrap
    from clientkeep.complaints.services import MoveComplaint
    from clientkeep.shared.actor import Actor

# Customers given a history, and how far back it goes.
WITH_HISTORY = 120
DAYS_BACK = 330

ENQUIRIES = (
    ("enquiry", "Asked when their order will arrive.", "Checked the order and gave the date."),
    ("enquiry", "Asked how to change their delivery slot.", "Explained the options by phone."),
    ("request", "Asked for a copy of their last invoice.", "Sent the invoice to the address held."),
    ("request", "Asked to pause the subscription for a month.", "Paused it from next week."),
    (
        "update",
        "Told us they are moving house next month.",
        "Noted the date; will ask for the address.",
    ),
    ("other", "Rang to say thank you for the quick repair.", "Passed the thanks to the engineer."),
    ("complaint", "Unhappy that the engineer was late.", "Apologised and offered a new slot."),
    ("feedback", "Said the new website is easier to use.", "Thanked them; told the team."),
)
COMPLAINTS = (
    ("general", "Charged twice for the same order.", "A refund of the second payment."),
    ("general", "The parcel arrived damaged.", "A replacement sent this week."),
    ("service", "Waited forty minutes on the phone.", "An apology."),
    ("data_protection", "Received a letter meant for someone else.", "To know how it happened."),
)
CHANNELS = ("phone", "phone", "email", "chat", "web", "letter", "in_person")


@dataclass
class _At:
    """A clock stopped at one moment: each demo action happens when it would have."""

    moment: datetime

    def now(self) -> datetime:
        return self.moment


@dataclass
class ActivityLoad:
    contacts: int = 0
    follow_ups: int = 0
    complaints: int = 0
    answers: int = 0


def load_activity(
    c: bootstrap.Container,
    customer_ids: list[str],
    staff: list[Actor],
    *,
    seed: int,
    done: Callable[[int], None] = lambda _: None,
) -> ActivityLoad:
    """Give the first customers a history, as the demo's members of staff; ``done`` hears
    how many customers have theirs."""
    from clientkeep.feedback import services as feedback
    from clientkeep.interactions import recording

    loaded = ActivityLoad()
    if not staff or not customer_ids:
        return loaded
    rng = random.Random(seed)  # noqa: S311 - synthetic demo data, the same every time
    now = c.clock.now()
    policy = c.policy
    for count, customer_id in enumerate(customer_ids[:WITH_HISTORY], start=1):
        done(count)
        for _ in range(rng.randint(1, 4)):
            member = rng.choice(staff)
            at = now - timedelta(days=rng.randint(1, DAYS_BACK), minutes=rng.randint(0, 600))
            category, nature, actions = rng.choice(ENQUIRIES)
            follow_up = rng.random() < 0.12
            logged = recording.log_interaction(
                customer_id,
                recording.LogInteraction(
                    channel=rng.choice(CHANNELS),
                    category=category,
                    nature=nature,
                    actions_taken=actions,
                    outcome="follow_up" if follow_up else "resolved",
                    occurred_at=at,
                    follow_up_due=(at + timedelta(days=rng.randint(1, 14))).date()
                    if follow_up
                    else None,
                ),
                uow=c.uow(),
                actor=member,
                policy=policy,
                clock=_At(at),
            )
            loaded.contacts += 1
            loaded.follow_ups += follow_up
            if rng.random() < 0.45:
                csat = rng.random() < 0.6
                score = _score(rng, "csat" if csat else "nps")
                feedback.record_feedback(
                    customer_id,
                    feedback.RecordFeedback(
                        csat=score if csat else None,
                        nps=None if csat else score,
                        interaction_id=logged.interaction_id,
                    ),
                    uow=c.uow(),
                    actor=member,
                    policy=policy,
                    clock=_At(at + timedelta(hours=rng.randint(1, 48))),
                )
                loaded.answers += 1
    if policy.complaints is not None:
        loaded.complaints = _complaints(c, customer_ids[:WITH_HISTORY], staff, rng, now)
    return loaded


def _score(rng: random.Random, scale: str) -> int:
    # Most customers are content; a few are not.
    if scale == "csat":
        return rng.choices((1, 2, 3, 4, 5), weights=(1, 1, 2, 5, 6))[0]
    return rng.choices(range(11), weights=(1, 1, 1, 1, 1, 2, 2, 4, 6, 7, 6))[0]


def _complaints(
    c: bootstrap.Container,
    customer_ids: list[str],
    staff: list[Actor],
    rng: random.Random,
    now: datetime,
) -> int:
    """Cases at every stage: new ones, nearly due, overdue, on hold, resolved and closed."""
    from clientkeep.complaints import services as complaints

    declared = c.policy.complaints.types if c.policy.complaints else {}
    chosen = [row for row in COMPLAINTS if row[0] in declared]
    opened = 0
    for i, customer_id in enumerate(rng.sample(customer_ids, min(24, len(customer_ids)))):
        kind, summary, wanted = chosen[i % len(chosen)] if chosen else (None, "", "")
        if kind is None:
            break
        member = staff[i % len(staff)]
        received = now - timedelta(days=rng.randint(0, 70), hours=rng.randint(0, 8))
        case = complaints.open_complaint(
            complaints.OpenComplaint(
                customer_id=customer_id,
                type=kind,
                summary=summary,
                desired_outcome=wanted,
                channel=rng.choice(CHANNELS),
                received_at=received,
            ),
            uow=c.uow(),
            actor=member,
            policy=c.policy,
            clock=_At(received),
        )
        opened += 1
        steps = _steps_for(i)
        at = received
        for step in steps:
            at = min(at + timedelta(days=rng.randint(1, 6), hours=rng.randint(1, 6)), now)
            complaints.move(
                case.id,
                step,
                uow=c.uow(),
                actor=member,
                policy=c.policy,
                clock=_At(at),
            )
    return opened


def _steps_for(i: int) -> list[MoveComplaint]:
    """A spread of stages, the same for every demo: new, acknowledged, being looked into, on
    hold, resolved and closed."""
    from clientkeep.complaints.services import MoveComplaint

    resolved = MoveComplaint(
        step="resolve",
        resolution="Apologised, explained what went wrong and put it right.",
        checklist=dict.fromkeys(("listened", "apologised", "solution_offered", "thanked"), True),
        customer_accepted="yes",
    )
    acknowledge, investigate = MoveComplaint(step="acknowledge"), MoveComplaint(step="investigate")
    hold = MoveComplaint(step="hold", note="Waiting for the customer's photos.")
    stages = [
        [],
        [acknowledge],
        [acknowledge, investigate],
        [acknowledge, hold],
        [acknowledge, investigate, resolved],
        [acknowledge, investigate, resolved, MoveComplaint(step="close")],
    ]
    return stages[i % len(stages)]
