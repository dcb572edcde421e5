"""staff second factor

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:00:00

A member of staff may add a time-based one-time code (TOTP) to their password. The shared
secret is kept sealed (AES-256-GCM under a key derived from the key store), never in the
clear, with the last time step a code was accepted for so no code works twice; recovery codes
are kept as hashes, each usable once. A web session that has passed the password but not yet
the code (or must still enrol) says what it awaits, and may do nothing else; the recovery
codes just made wait on the session for the one page that shows them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff_second_factor",
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("sealed_secret", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_used_step", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_user.id"],
            name=op.f("fk_staff_second_factor_staff_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_second_factor")),
    )
    op.create_table(
        "staff_recovery_code",
        sa.Column("staff_id", sa.String(length=32), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["staff_id"],
            ["staff_user.id"],
            name=op.f("fk_staff_recovery_code_staff_id_staff_user"),
        ),
        sa.PrimaryKeyConstraint("staff_id", "code_hash", name=op.f("pk_staff_recovery_code")),
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.add_column(sa.Column("awaiting", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("pending_recovery_codes", sa.Text(), nullable=True))


def downgrade() -> None:
    # Without the column a half-signed-in session would pass for a signed-in one: end them.
    op.execute(
        "UPDATE web_session SET ended_at = created_at, expires_at = created_at "
        "WHERE awaiting IS NOT NULL AND ended_at IS NULL"
    )
    with op.batch_alter_table("web_session", schema=None) as batch_op:
        batch_op.drop_column("pending_recovery_codes")
        batch_op.drop_column("awaiting")
    op.drop_table("staff_recovery_code")
    op.drop_table("staff_second_factor")
