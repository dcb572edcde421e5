"""audit event body; blind index by kind

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24 01:40:00

Each audit event keeps the exact bytes its hash was computed over, so verifying the chain is
hashing, not re-encoding, and what the trail shows is what the chain protects. The blind index
gains an index by (kind, token) so the whole book can be scanned for shared tokens of one kind
(duplicate detection) without reading every row.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

import sqlalchemy as sa
from alembic import op

from clientkeep.adapters.db.types import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_events = sa.table(
    "audit_event",
    sa.column("chain", sa.String),
    sa.column("seq", sa.BigInteger),
    sa.column("id", sa.String),
    sa.column("occurred_at", UtcDateTime),
    sa.column("actor_id", sa.String),
    sa.column("actor_role", sa.String),
    sa.column("credential", sa.String),
    sa.column("action", sa.String),
    sa.column("customer_id", sa.String),
    sa.column("fields", sa.Text),
    sa.column("purpose", sa.String),
    sa.column("outcome", sa.String),
    sa.column("request_id", sa.String),
    sa.column("detail", sa.Text),
    sa.column("body", sa.LargeBinary),
)


def _canonical(row: sa.Row[Any]) -> bytes:
    # Frozen copy of the 0002-era encoding: the stored hashes were computed over exactly this.
    body = {
        "chain": row.chain,
        "seq": row.seq,
        "id": row.id,
        "at": row.occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "action": row.action,
        "actor": row.actor_id,
        "role": row.actor_role,
        "credential": row.credential,
        "outcome": row.outcome,
        "customer": row.customer_id,
        "fields": json.loads(row.fields),
        "purpose": row.purpose,
        "request": row.request_id,
        "detail": dict(sorted(json.loads(row.detail).items())),
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def upgrade() -> None:
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body", sa.LargeBinary(), nullable=True))
    conn = op.get_bind()
    rows = conn.execute(sa.select(_events).order_by(_events.c.chain, _events.c.seq)).all()
    for row in rows:
        conn.execute(
            _events.update()
            .where(_events.c.chain == row.chain, _events.c.seq == row.seq)
            .values(body=_canonical(row))
        )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("body", existing_type=sa.LargeBinary(), nullable=False)
    with op.batch_alter_table("blind_index", schema=None) as batch_op:
        batch_op.create_index("ix_blind_index_kind_token", ["kind", "token"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("blind_index", schema=None) as batch_op:
        batch_op.drop_index("ix_blind_index_kind_token")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_column("body")
