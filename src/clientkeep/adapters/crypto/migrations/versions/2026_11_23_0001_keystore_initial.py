"""Key store: wrapped data keys, system secrets and evidence of destruction.

Revision ID: ks0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ks0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_key",
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("master_version", sa.Integer(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name="pk_data_key"),
    )
    op.create_index("ix_data_key_master_version", "data_key", ["master_version"])
    op.create_table(
        "keystore_secret",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("master_version", sa.Integer(), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_keystore_secret"),
    )
    op.create_table(
        "key_destruction",
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", name="pk_key_destruction"),
    )


def downgrade() -> None:
    op.drop_table("key_destruction")
    op.drop_table("keystore_secret")
    op.drop_index("ix_data_key_master_version", table_name="data_key")
    op.drop_table("data_key")
