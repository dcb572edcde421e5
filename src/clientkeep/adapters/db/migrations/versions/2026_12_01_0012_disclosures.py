"""disclosures

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 17:00:00

Each time a member of staff told a verified caller some of a customer's details: when, who,
to whom (sealed), which fields (names), by what channel, under which purpose and on which
verification. Never the values told.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "disclosure",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("verification_id", sa.String(length=32), nullable=False),
        sa.Column("recipient", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_disclosure_customer_at", "disclosure", ["customer_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_disclosure_customer_at", table_name="disclosure")
    op.drop_table("disclosure")
