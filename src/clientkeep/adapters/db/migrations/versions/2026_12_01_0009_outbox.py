"""outbox of messages to customers

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 16:00:00

A message to a customer (a one-time code, a letter of what was disclosed) is written in the
same transaction as the work that needs it and delivered after commit by a sender. Its
recipient, subject and body are sealed under the customer's key like every personal value;
the rest is its state: waiting, sending (leased to one worker), sent or dead (given up, for
an administrator to check and retry).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("recipient", sa.LargeBinary(), nullable=False),
        sa.Column("subject", sa.LargeBinary(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("leased_by", sa.String(length=32), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("provider_id", sa.String(length=256), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_outbox_message_customer_id_customer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_message")),
    )
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outbox_message_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            "ix_outbox_message_status_next_attempt_at",
            ["status", "next_attempt_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_outbox_message_status_created_at", ["status", "created_at", "id"], unique=False
        )
        batch_op.create_index("ix_outbox_message_created_at", ["created_at", "id"], unique=False)


def downgrade() -> None:
    waiting = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM outbox_message WHERE status IN ('waiting', 'sending')")
    )
    if waiting:
        # Dropping them would silently lose messages customers are owed (codes, letters).
        raise RuntimeError(f"{waiting} messages are still to be sent: deliver or cancel them")
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_message_created_at")
        batch_op.drop_index("ix_outbox_message_status_created_at")
        batch_op.drop_index("ix_outbox_message_status_next_attempt_at")
        batch_op.drop_index(batch_op.f("ix_outbox_message_customer_id"))
    op.drop_table("outbox_message")
