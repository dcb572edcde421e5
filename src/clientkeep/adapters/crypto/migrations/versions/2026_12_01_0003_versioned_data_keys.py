"""Key store: versioned data keys, and evidence of versions destroyed one at a time.

Every existing data key becomes version 1 of its customer's key (it stays wrapped for the
same owner, the customer id, so nothing is re-wrapped). A customer may then hold several
versions; each sealed value names the version it was sealed under.

Revision ID: ks0003
Revises: ks0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "ks0003"
down_revision = "ks0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("data_key") as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("1"))
        )
        batch_op.drop_constraint("pk_data_key", type_="primary")
        batch_op.create_primary_key("pk_data_key", ["customer_id", "version"])
    with op.batch_alter_table("data_key") as batch_op:
        # The default only filled the rows already there; new rows always name their version.
        batch_op.alter_column("version", existing_type=sa.Integer(), server_default=None)
    op.create_table(
        "key_version_destruction",
        sa.Column("customer_id", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("destroyed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "version", name="pk_key_version_destruction"),
    )


def downgrade() -> None:
    conn = op.get_bind()
    later = conn.scalar(sa.text("SELECT count(*) FROM data_key WHERE version <> 1"))
    if later:
        # Dropping them would destroy keys that values are sealed under: refuse instead.
        raise RuntimeError(
            f"{later} data keys are versions after the first: the key store cannot go back "
            "to one key per customer without destroying them"
        )
    op.drop_table("key_version_destruction")
    with op.batch_alter_table("data_key") as batch_op:
        batch_op.drop_constraint("pk_data_key", type_="primary")
        batch_op.create_primary_key("pk_data_key", ["customer_id"])
        batch_op.drop_column("version")
