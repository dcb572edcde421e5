"""representatives and third-party requests

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 18:00:00

People with authority to act for a customer (their scope, expiry and approval), requests from
third parties with their lawful basis and decision, and what each disclosure or verification
rested on: a verification may be of a representative, and a disclosure may answer an approved
request instead of a verified caller. An index finds the failed checks in a window across
customers, for the review queue's locked customers.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "representative",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("authority", sa.String(length=32), nullable=False),
        sa.Column("scope_fields", sa.Text(), nullable=False),
        sa.Column("scope_actions", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("details", sa.LargeBinary(), nullable=False),
        sa.Column("answers", sa.LargeBinary(), nullable=False),
        sa.Column("decision", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_representative_customer_created", "representative", ["customer_id", "created_at"]
    )
    op.create_index("ix_representative_status_created", "representative", ["status", "created_at"])
    op.create_table(
        "third_party_request",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("purpose", sa.String(length=64), nullable=False),
        sa.Column("basis", sa.String(length=64), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("approved_fields", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("disclosure_id", sa.String(length=32), nullable=True),
        sa.Column("details", sa.LargeBinary(), nullable=False),
        sa.Column("decision", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(["customer_id"], ["customer.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_third_party_request_customer_created",
        "third_party_request",
        ["customer_id", "created_at"],
    )
    op.create_index(
        "ix_third_party_request_status_created", "third_party_request", ["status", "created_at"]
    )
    with op.batch_alter_table("disclosure") as batch:
        batch.alter_column("verification_id", existing_type=sa.String(length=32), nullable=True)
        batch.add_column(sa.Column("request_id", sa.String(length=32), nullable=True))
    with op.batch_alter_table("verification_attempt") as batch:
        batch.add_column(sa.Column("representative_id", sa.String(length=32), nullable=True))
    op.create_index("ix_verification_attempt_passed_at", "verification_attempt", ["passed", "at"])


def downgrade() -> None:
    op.drop_index("ix_verification_attempt_passed_at", table_name="verification_attempt")
    with op.batch_alter_table("verification_attempt") as batch:
        batch.drop_column("representative_id")
    with op.batch_alter_table("disclosure") as batch:
        batch.drop_column("request_id")
        batch.alter_column("verification_id", existing_type=sa.String(length=32), nullable=False)
    op.drop_index("ix_third_party_request_status_created", table_name="third_party_request")
    op.drop_index("ix_third_party_request_customer_created", table_name="third_party_request")
    op.drop_table("third_party_request")
    op.drop_index("ix_representative_status_created", table_name="representative")
    op.drop_index("ix_representative_customer_created", table_name="representative")
    op.drop_table("representative")
