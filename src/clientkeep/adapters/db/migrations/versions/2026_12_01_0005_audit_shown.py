"""audit shown

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 13:00:00

A search, a duplicate warning or the review queue shows several customers at once. Each such
read is now one event listing everyone it showed in its hashed detail, and this table indexes
that list so a customer's events still find it. Events written before (one `customer.shown`
per customer) name their customer in their own column and need no rows here; any event that
lists customers (the table was dropped by a downgrade and this runs again) is indexed anew.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_shown",
        sa.Column("chain", sa.String(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("customer_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["chain", "seq"],
            ["audit_event.chain", "audit_event.seq"],
            name=op.f("fk_audit_shown_chain_audit_event"),
        ),
        sa.PrimaryKeyConstraint("chain", "seq", "customer_id", name=op.f("pk_audit_shown")),
        sqlite_with_rowid=False,
    )
    op.create_index(
        "ix_audit_shown_customer_id", "audit_shown", ["customer_id", "chain", "seq"], unique=False
    )
    bind = op.get_bind()
    listing = bind.execute(
        sa.text("SELECT chain, seq, detail FROM audit_event WHERE detail LIKE '%\"shown\":%'")
    )
    rows = [
        {"chain": chain, "seq": seq, "customer_id": customer_id}
        for chain, seq, detail in listing
        for customer_id in _shown(detail)
    ]
    if rows:
        bind.execute(
            sa.text(
                "INSERT INTO audit_shown (chain, seq, customer_id) "
                "VALUES (:chain, :seq, :customer_id)"
            ),
            rows,
        )


def _shown(detail: str) -> list[str]:
    listed = json.loads(detail).get("shown")
    return listed.split(",") if isinstance(listed, str) and listed else []


def downgrade() -> None:
    # The events keep their lists; upgrading again indexes them anew.
    op.drop_index("ix_audit_shown_customer_id", table_name="audit_shown")
    op.drop_table("audit_shown")
