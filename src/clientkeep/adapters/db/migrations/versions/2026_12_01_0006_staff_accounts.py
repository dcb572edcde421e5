"""staff accounts

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 14:00:00

An administrator can reset a member's password to a temporary one, which the member must
replace at their next sign-in (staff_user.must_change_password); and a token made on the web
is held on its session (web_session.pending_token) for the one page after the redirect that
shows it, so reloading that page neither makes another token nor shows this one again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending_token", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_column("pending_token")
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")
