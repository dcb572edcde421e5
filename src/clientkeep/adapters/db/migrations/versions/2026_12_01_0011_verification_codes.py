"""verification codes

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 16:00:00

One-time codes sent to a customer's email or phone on record to verify a caller: a keyed
digest of the code (never the code), who it is for, when it expires and when it was used.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verification_code",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("channel", sa.String(length=8), nullable=False),
        sa.Column("digest", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_verification_code_customer_staff",
        "verification_code",
        ["customer_id", "staff_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_verification_code_customer_staff", table_name="verification_code")
    op.drop_table("verification_code")
