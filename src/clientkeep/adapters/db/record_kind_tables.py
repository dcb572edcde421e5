"""Where each registered kind of personal record keeps its rows in the main database.

The record-kind contract tests read this: every table with a customer column belongs to one
kind here, or is listed in ``NOT_PERSONAL_RECORDS`` with the reason it holds no personal
value of its own, so a new table cannot skip the contract suite.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Table

from clientkeep.adapters.db.contact_tables import complaint, complaint_step, feedback, interaction
from clientkeep.adapters.db.customer_tables import (
    blind_index,
    customer,
    customer_change,
    customer_field,
    duplicate_suspect,
    idempotency_key,
)
from clientkeep.adapters.db.disclosure_tables import disclosure
from clientkeep.adapters.db.outbox_tables import outbox_message
from clientkeep.adapters.db.representative_tables import representative, third_party_request
from clientkeep.adapters.db.verification_tables import verification_attempt, verification_code


@dataclass(frozen=True)
class KindTables:
    # The tables holding the kind's rows, each with its customer_id column.
    tables: tuple[Table, ...]
    # {table name: the columns holding values sealed under the customer's key}
    sealed: dict[str, tuple[str, ...]]


KIND_TABLES: dict[str, KindTables] = {
    "disclosure": KindTables(tables=(disclosure,), sealed={"disclosure": ("recipient",)}),
    "customer_field": KindTables(
        tables=(customer_field, blind_index), sealed={"customer_field": ("value",)}
    ),
    "field_history": KindTables(
        tables=(customer_change,),
        sealed={"customer_change": ("old_value", "new_value", "reason")},
    ),
    "representative": KindTables(
        tables=(representative,),
        sealed={"representative": ("details", "answers", "decision")},
    ),
    "third_party_request": KindTables(
        tables=(third_party_request,),
        sealed={"third_party_request": ("details", "decision")},
    ),
    "interaction": KindTables(tables=(interaction,), sealed={"interaction": ("notes",)}),
    "complaint": KindTables(
        tables=(complaint, complaint_step),
        sealed={"complaint": ("details",), "complaint_step": ("note",)},
    ),
    "feedback": KindTables(tables=(feedback,), sealed={"feedback": ("comment",)}),
    "outbox_message": KindTables(
        tables=(outbox_message,), sealed={"outbox_message": ("recipient", "subject", "body")}
    ),
    # A code row holds a keyed digest of a random number and its times, nothing sealed; it
    # is claimed here so it goes with the customer on erasure and merge.
    "verification_attempt": KindTables(
        tables=(verification_attempt, verification_code),
        sealed={"verification_attempt": ("stated",)},
    ),
}

# Tables that name a customer but hold no personal value of their own.
NOT_PERSONAL_RECORDS: dict[str, str] = {
    customer.name: "the record's head: id, times and where a merged record went",
    duplicate_suspect.name: 'two ids and fixed phrases ("same email"); resolved on merge',
    idempotency_key.name: "a keyed digest of a request, so a retry does not register twice",
    "key_destruction_request": "the key-destruction outbox: a customer id and a fixed reason",
    # Evidence: never moved, packed from here or erased. A merge records both ids; field names
    # only, never values.
    "audit_event": "the audit trail: ids, field names and outcomes, kept as evidence",
    "audit_shown": "the trail's index of customers an event showed: ids only, kept as evidence",
}
