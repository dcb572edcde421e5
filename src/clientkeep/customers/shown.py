"""Naming in the trail every customer a read showed in summaries (search results, duplicate
warnings, the review queue), by id, with the fields shown of them.

One event per read, however many people it showed: a customer shown alone is the event's own
customer; several are listed in its hashed detail, and the audit log indexes that list beside
the trail so each customer's events still find the read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from clientkeep.audit.model import SHOWN, SHOWN_FIELDS, AuditEntry
from clientkeep.customers.views import Match


def naming_shown(head: AuditEntry, shown: Mapping[str, Iterable[str]]) -> AuditEntry:
    """``head`` naming the customers in ``shown`` ({customer id: fields shown of them})."""
    if not shown:
        return head
    fields = sorted({name for names in shown.values() for name in names})
    detail = {**head.detail, SHOWN_FIELDS: ",".join(fields)}
    if len(shown) == 1 and head.customer_id is None:
        (only,) = shown
        return replace(head, customer_id=only, detail=detail)
    return replace(head, detail={**detail, SHOWN: ",".join(shown)})


def naming_matches(head: AuditEntry, matches: Iterable[Match]) -> AuditEntry:
    """``head`` naming every customer a list of summaries showed."""
    return naming_shown(head, {m.customer_id: m.fields_shown for m in matches})
