"""Interactions, complaints and their steps, and feedback: the record of every contact.

What was said and done is free text about a person, sealed under the customer's key (one
JSON document per row). Times, channels, categories, outcomes, states, deadlines and scores
are plain: they say what happened and let queues, boards and reports be counted in SQL.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
)

from clientkeep.adapters.db.metadata import metadata
from clientkeep.adapters.db.types import UtcDateTime

interaction = Table(
    "interaction",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False),
    # Who logged it, when the contact happened and when it was logged.
    Column("staff_id", String(32), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("channel", String(16), nullable=False),
    Column("category", String(16), nullable=False),
    Column("outcome", String(16), nullable=False),
    Column("purpose", String(64), nullable=False),
    # A follow-up: the UK date it is due and whose queue it is in. It is done when a later
    # interaction names this one in ``follows_up``.
    Column("follow_up_due", Date, nullable=True),
    Column("follow_up_owner", String(32), nullable=True),
    Column("follows_up", String(32), nullable=True),
    # Never edited in place: a correction is a new row naming the one it corrects.
    Column("corrects", String(32), nullable=True),
    # JSON list of the note checker's warnings the member of staff saw and kept (kinds only).
    Column("warnings", Text, nullable=False),
    # Sealed JSON: nature, actions taken, and for a correction its reason.
    Column("notes", LargeBinary, nullable=False),
    # The timeline pages a customer's contacts newest first.
    Index("ix_interaction_customer_occurred", "customer_id", "occurred_at", "id"),
    Index("ix_interaction_follow_up_due", "follow_up_due"),
    Index("ix_interaction_follows_up", "follows_up"),
    Index("ix_interaction_corrects", "corrects"),
)

complaint = Table(
    "complaint",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False),
    # A type of complaint the policy declares, with its clocks.
    Column("type", String(32), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("purpose", String(64), nullable=False),
    # received, acknowledged, investigating, escalated, resolved, closed.
    Column("state", String(16), nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("opened_by", String(32), nullable=False),
    # The member of staff handling it (None: the team's).
    Column("owner_id", String(32), nullable=True),
    # The contact it was raised in, if logged.
    Column("interaction_id", String(32), nullable=True),
    # Deadlines as UK dates, worked out from the policy's rule and kept for the board.
    Column("acknowledge_due", Date, nullable=False),
    Column("final_response_due", Date, nullable=False),
    Column("acknowledged_at", UtcDateTime, nullable=True),
    Column("resolved_at", UtcDateTime, nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
    # On hold since (None: not on hold), and the days held so far that the rule excludes.
    Column("on_hold_since", UtcDateTime, nullable=True),
    Column("held_days", Integer, nullable=False),
    # JSON {"listened": true, "apologised": ..., "solution_offered": ..., "thanked": ...}.
    Column("checklist", Text, nullable=False),
    # yes, no or None (not yet asked).
    Column("customer_accepted", String(8), nullable=True),
    Column("changed_at", UtcDateTime, nullable=False),
    # Sealed JSON: summary, desired outcome, resolution.
    Column("details", LargeBinary, nullable=False),
    Index("ix_complaint_customer_received", "customer_id", "received_at"),
    # The board: open cases by their next deadline.
    Index("ix_complaint_state_due", "state", "final_response_due"),
)

complaint_step = Table(
    "complaint_step",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("complaint_id", String(32), ForeignKey("complaint.id"), nullable=False),
    # The case's customer, so the step is reachable from them alone.
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("staff_id", String(32), nullable=False),
    # What happened: opened, acknowledged, investigating, held, released, escalated,
    # resolved, closed, reopened, assigned, noted.
    Column("step", String(16), nullable=False),
    Column("from_state", String(16), nullable=True),
    Column("to_state", String(16), nullable=False),
    # Sealed: the note or reason staff gave (a hold's reason, say); None for none.
    Column("note", LargeBinary, nullable=True),
    Index("ix_complaint_step_complaint_at", "complaint_id", "at"),
    Index("ix_complaint_step_customer_at", "customer_id", "at"),
)

feedback = Table(
    "feedback",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("customer_id", String(32), ForeignKey("customer.id"), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    # The UK calendar month it was given in ("2026-12"), for the reports by month.
    Column("month", String(7), nullable=False),
    Column("purpose", String(64), nullable=False),
    # Who recorded it, and the member of staff whose contact it rates (the interaction's).
    Column("recorded_by", String(32), nullable=False),
    Column("staff_id", String(32), nullable=False),
    Column("interaction_id", String(32), nullable=True),
    # The contact's channel and category, copied so reports need no join.
    Column("channel", String(16), nullable=True),
    Column("category", String(16), nullable=True),
    # One of: a CSAT answer 1-5, an NPS answer 0-10.
    Column("csat", SmallInteger, nullable=True),
    Column("nps", SmallInteger, nullable=True),
    # Sealed: anything the customer said with the score; None for nothing.
    Column("comment", LargeBinary, nullable=True),
    Index("ix_feedback_customer_at", "customer_id", "at"),
    # The satisfaction report counts by month and one grouping from this index alone
    # (a covering index: bench/satisfaction.py measured a third of the time at 1,000,000).
    Index("ix_feedback_report", "month", "channel", "category", "staff_id", "csat", "nps"),
)
