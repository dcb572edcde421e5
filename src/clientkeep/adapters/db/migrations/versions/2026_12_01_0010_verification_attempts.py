"""verification attempts

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 15:00:00

Each check that a caller is the customer: who ran it, when, how, whether it passed and until
when it proves the caller; the details asked for are sealed under the customer's key.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verification_attempt",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("stated", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_verification_attempt_customer_at", "verification_attempt", ["customer_id", "at"]
    )


def downgrade() -> None:
    op.drop_index("ix_verification_attempt_customer_at", table_name="verification_attempt")
    op.drop_table("verification_attempt")
