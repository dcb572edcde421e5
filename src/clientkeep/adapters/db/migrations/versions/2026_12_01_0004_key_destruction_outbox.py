"""key destruction outbox

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00

A data key is destroyed only once the change that needs it (a merge, later an erasure) is
committed, and the key store is another database. The request to destroy it is written here,
in the change's own transaction, carried out after commit and deleted once done; a request
left behind (the key store was down) is retried at start-up and by `clientkeep keys sweep`.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "key_destruction_request",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("key_version", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_destruction_request")),
    )


def downgrade() -> None:
    pending = op.get_bind().scalar(sa.text("SELECT count(*) FROM key_destruction_request"))
    if pending:
        # Dropping them would leave keys alive that were meant to be destroyed.
        raise RuntimeError(
            f"{pending} key destructions are pending: run `clientkeep keys sweep` first"
        )
    op.drop_table("key_destruction_request")
