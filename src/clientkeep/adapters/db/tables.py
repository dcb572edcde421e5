"""Tables of the main database. Personal values never appear here in plaintext."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    false,
)

from clientkeep.adapters.db.metadata import metadata
from clientkeep.adapters.db.types import UtcDateTime

staff_user = Table(
    "staff_user",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(128), nullable=False),
    Column("role", String(64), nullable=False),
    Column("password_hash", String(256), nullable=False),
    Column("failed_sign_ins", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("disabled_at", UtcDateTime, nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Set by a password reset; cleared when the member chooses their own password.
    Column("must_change_password", Boolean, nullable=False, server_default=false()),
)

api_token = Table(
    "api_token",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("staff_id", String(32), ForeignKey("staff_user.id"), nullable=False, index=True),
    Column("label", String(128), nullable=False),
    # SHA-256 of the token: the token itself is shown once and never stored.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("last_used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
)

web_session = Table(
    "web_session",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("staff_id", String(32), ForeignKey("staff_user.id"), nullable=False, index=True),
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    # A token made in this session, held only until the page after the redirect shows it
    # (then cleared), and cleared when the session ends: it is never shown twice.
    Column("pending_token", String(64), nullable=True),
    # What a session that has passed the password still awaits ("second_factor": a code;
    # "enrolment": the policy requires a second factor the member has not set up); None
    # once fully signed in. Such a session may do nothing else and expires in minutes.
    Column("awaiting", String(16), nullable=True),
    # Recovery codes just made, held (like pending_token) for the one page that shows them.
    Column("pending_recovery_codes", Text, nullable=True),
)

# A member's time-based one-time code (TOTP) secret, sealed: never stored in the clear.
# Unconfirmed (confirmed_at None) while the member is enrolling; last_used_step is the time
# step of the last code accepted, so no code is accepted twice.
staff_second_factor = Table(
    "staff_second_factor",
    metadata,
    Column("staff_id", String(32), ForeignKey("staff_user.id"), primary_key=True),
    Column("sealed_secret", LargeBinary, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("confirmed_at", UtcDateTime, nullable=True),
    Column("last_used_step", BigInteger, nullable=True),
)

# One-time recovery codes, as SHA-256 hashes (each code carries 80 random bits).
staff_recovery_code = Table(
    "staff_recovery_code",
    metadata,
    Column("staff_id", String(32), ForeignKey("staff_user.id"), primary_key=True),
    Column("code_hash", String(64), primary_key=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
)

audit_chain = Table(
    "audit_chain",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("head_seq", BigInteger, nullable=False),
    Column("head_hash", String(64), nullable=False),
    Column("head_seal", String(64), nullable=False),
)

audit_event = Table(
    "audit_event",
    metadata,
    Column("chain", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("id", String(32), nullable=False, unique=True),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("actor_id", String(64), nullable=False),
    Column("actor_role", String(64), nullable=False),
    Column("credential", String(64), nullable=False),
    Column("action", String(64), nullable=False),
    Column("customer_id", String(32), nullable=True, index=True),
    Column("fields", Text, nullable=False),
    Column("purpose", String(64), nullable=True),
    Column("outcome", String(32), nullable=False),
    Column("request_id", String(64), nullable=True),
    Column("detail", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # The exact bytes the hash covers; the columns above are copies kept for filtering.
    Column("body", LargeBinary, nullable=False),
)

# Which customers an event showed besides its own (search results, duplicate warnings, the
# review queue): a copy of the list in the event's hashed detail, kept so that a customer's
# events can be found by index. Verification checks it against the body both ways.
audit_shown = Table(
    "audit_shown",
    metadata,
    Column("chain", String(64), primary_key=True),
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("customer_id", String(32), primary_key=True),
    ForeignKeyConstraint(["chain", "seq"], ["audit_event.chain", "audit_event.seq"]),
    Index("ix_audit_shown_customer_id", "customer_id", "chain", "seq"),
    # Two B-trees, not three: the rows are their key.
    sqlite_with_rowid=False,
)

# Data keys to destroy once the change that needs it is committed (the key store is another
# database, so the destruction cannot share that change's transaction). Written in the same
# transaction as the change; deleted once the key store has destroyed the key; a row still
# here is retried at start-up and by `clientkeep keys sweep`. It holds no personal data.
key_destruction_request = Table(
    "key_destruction_request",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer_id", String(32), nullable=False),
    Column("key_version", Integer, nullable=True),  # None: every version
    Column("reason", String(32), nullable=False),  # a fixed word such as "merged"
    Column("requested_at", UtcDateTime, nullable=False),
)
