"""interactions, complaints and feedback

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 21:00:00

Every contact with a customer (sealed notes, follow-ups, corrections as new rows), complaints
with their steps and deadlines, and feedback scores with the month, channel, category and
member of staff the reports group them by.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "interaction",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("follow_up_due", sa.Date(), nullable=True),
        sa.Column("follow_up_owner", sa.String(length=32), nullable=True),
        sa.Column("follows_up", sa.String(length=32), nullable=True),
        sa.Column("corrects", sa.String(length=32), nullable=True),
        sa.Column("warnings", sa.Text(), nullable=False),
        sa.Column("notes", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_interaction_customer_occurred", "interaction", ["customer_id", "occurred_at", "id"]
    )
    op.create_index("ix_interaction_follow_up_due", "interaction", ["follow_up_due"])
    op.create_index("ix_interaction_follows_up", "interaction", ["follows_up"])
    op.create_index("ix_interaction_corrects", "interaction", ["corrects"])
    op.create_table(
        "complaint",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.String(length=32), nullable=True),
        sa.Column("interaction_id", sa.String(length=32), nullable=True),
        sa.Column("acknowledge_due", sa.Date(), nullable=False),
        sa.Column("final_response_due", sa.Date(), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("on_hold_since", sa.DateTime(timezone=True), nullable=True),
        sa.Column("held_days", sa.Integer(), nullable=False),
        sa.Column("checklist", sa.Text(), nullable=False),
        sa.Column("customer_accepted", sa.String(length=8), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("details", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_complaint_customer_received", "complaint", ["customer_id", "received_at"])
    op.create_index("ix_complaint_state_due", "complaint", ["state", "final_response_due"])
    op.create_table(
        "complaint_step",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("complaint_id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("note", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["complaint_id"], ["complaint.id"]),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_complaint_step_complaint_at", "complaint_step", ["complaint_id", "at"])
    op.create_index("ix_complaint_step_customer_at", "complaint_step", ["customer_id", "at"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("recorded_by", sa.String(length=32), nullable=False),
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("interaction_id", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=True),
        sa.Column("category", sa.String(length=16), nullable=True),
        sa.Column("csat", sa.SmallInteger(), nullable=True),
        sa.Column("nps", sa.SmallInteger(), nullable=True),
        sa.Column("comment", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_feedback_customer_at", "feedback", ["customer_id", "at"])
    op.create_index(
        "ix_feedback_report",
        "feedback",
        ["month", "channel", "category", "staff_id", "csat", "nps"],
    )


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("complaint_step")
    op.drop_table("complaint")
    op.drop_table("interaction")
