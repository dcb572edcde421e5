"""customer records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 21:56:09.124806
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "customer",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merged_into", sa.String(length=32), nullable=True),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
    )
    op.create_table(
        "blind_index",
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("token", sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_blind_index_customer_id_customer")
        ),
        sa.PrimaryKeyConstraint(
            "customer_id", "field", "kind", "token", name=op.f("pk_blind_index")
        ),
    )
    with op.batch_alter_table("blind_index", schema=None) as batch_op:
        batch_op.create_index("ix_blind_index_token", ["token"], unique=False)

    op.create_table(
        "customer_change",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("old_value", sa.LargeBinary(), nullable=True),
        sa.Column("new_value", sa.LargeBinary(), nullable=True),
        sa.Column("reason", sa.LargeBinary(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_customer_change_customer_id_customer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_change")),
    )
    with op.batch_alter_table("customer_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_customer_change_customer_id"), ["customer_id"], unique=False
        )

    op.create_table(
        "customer_field",
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("confirmed_method", sa.String(length=64), nullable=True),
        sa.Column("condition", sa.String(length=64), nullable=True),
        sa.Column("last_confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_customer_field_customer_id_customer")
        ),
        sa.PrimaryKeyConstraint("customer_id", "field", name=op.f("pk_customer_field")),
    )
    with op.batch_alter_table("customer_field", schema=None) as batch_op:
        batch_op.create_index(
            "ix_customer_field_field_last_confirmed_at",
            ["field", "last_confirmed_at"],
            unique=False,
        )

    op.create_table(
        "duplicate_suspect",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("other_id", sa.String(length=32), nullable=False),
        sa.Column("reasons", sa.Text(), nullable=False),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_duplicate_suspect_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["other_id"], ["customer.id"], name=op.f("fk_duplicate_suspect_other_id_customer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_suspect")),
    )
    with op.batch_alter_table("duplicate_suspect", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_duplicate_suspect_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_duplicate_suspect_other_id"), ["other_id"], unique=False
        )

    op.create_table(
        "idempotency_key",
        sa.Column("actor_id", sa.String(length=64), nullable=False),
        sa.Column("key_digest", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.id"], name=op.f("fk_idempotency_key_customer_id_customer")
        ),
        sa.PrimaryKeyConstraint("actor_id", "key_digest", name=op.f("pk_idempotency_key")),
    )


def downgrade() -> None:
    op.drop_table("idempotency_key")
    with op.batch_alter_table("duplicate_suspect", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_suspect_other_id"))
        batch_op.drop_index(batch_op.f("ix_duplicate_suspect_customer_id"))

    op.drop_table("duplicate_suspect")
    with op.batch_alter_table("customer_field", schema=None) as batch_op:
        batch_op.drop_index("ix_customer_field_field_last_confirmed_at")

    op.drop_table("customer_field")
    with op.batch_alter_table("customer_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_customer_change_customer_id"))

    op.drop_table("customer_change")
    with op.batch_alter_table("blind_index", schema=None) as batch_op:
        batch_op.drop_index("ix_blind_index_token")

    op.drop_table("blind_index")
    op.drop_table("customer")
