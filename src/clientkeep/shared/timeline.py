"""The contract every source of a customer's timeline keeps.

A customer's timeline interleaves, newest first, what happened with them: contacts logged,
corrections and confirmations of their details, verifications, disclosures, complaints and
their steps, feedback (and later consents and requests). Each capability that records such
events registers a source in the composition root (``Container.timeline_sources``); the
timeline use case asks every source for a page and merges them, so a new capability adds
itself by registering, never by editing the timeline.

A source decides what the purpose allows: it is handed the fields the reader's projection
shows, and leaves out an entry (or the parts of one) that would show a value of any other
field. Entries are ordered by (``at``, ``entry_id``), newest first; ids are unique across
sources because each kind of id has its own prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    # The source's name ("interaction", "field_change", "verification", ...).
    kind: str
    # The row the entry is about (its id carries the kind's prefix), and the case or record
    # it belongs to where that is another row (a complaint's step names its complaint).
    entry_id: str
    at: datetime
    # The member of staff who did it (None: the software, or a customer's own action).
    staff_id: str | None
    # A fixed phrase with no personal value in it ("Phone call: enquiry", "Email corrected").
    title: str
    # (label, text) pairs shown under the title; may hold values of the fields in ``fields``.
    details: tuple[tuple[str, str], ...] = ()
    # The policy fields whose values ``details`` shows: the timeline's audit event names them.
    fields: frozenset[str] = frozenset()
    # The case or record the entry belongs to, if another row (a complaint's id for a step).
    parent_id: str | None = None

    @property
    def key(self) -> tuple[datetime, str]:
        return (self.at, self.entry_id)


class TimelineSource(Protocol):
    name: str

    def entries(
        self,
        uow: Any,
        customer_id: str,
        *,
        shown: frozenset[str],
        before: tuple[datetime, str] | None,
        limit: int,
    ) -> list[TimelineEntry]:
        """Up to ``limit`` of the customer's entries whose key is below ``before`` (all when
        None), newest first, each showing values only of fields in ``shown``. Runs in the
        caller's unit of work."""
        ...
