"""What the audit use cases need from storage."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from clientkeep.audit.model import AuditEntry, AuditEvent, Link


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The head of a chain: as recorded beside the events, or as a checkpoint kept apart."""

    seq: int
    hash: str
    # False when the keyed seal does not match: someone wrote it without the key.
    authentic: bool


class AuditLog(Protocol):
    def append(self, entry: AuditEntry, *, chain: str = ...) -> AuditEvent:
        """Append in the caller's transaction; serialised per chain."""
        ...

    def append_many(self, entries: Sequence[AuditEntry], *, chain: str = ...) -> None:
        """Append several events in order under one lock of the chain (bulk work)."""
        ...

    def links(self, *, chain: str = ...) -> Iterator[Link]:
        """Every stored event's link, in sequence order, streamed (constant memory)."""
        ...

    def begin_copy_check(self, *, chain: str = ...) -> Callable[[], int | None]:
        """Start looking for the first event whose searchable columns differ from the bytes
        its hash covers; the callable returned waits for the answer (None: every copy agrees).

        Begun before the chain is rehashed, so storage may do both at once.
        """
        ...

    def head(self, *, chain: str = ...) -> ChainHead | None: ...

    def checkpoint(self, *, chain: str = ...) -> ChainHead | None:
        """The newest checkpoint of the head, kept outside the events' database, if any.

        Written after commit every few seconds while events are appended, so a trail cut
        back to an older head is shorter than its newest checkpoint.
        """
        ...

    def page(
        self,
        *,
        chain: str = ...,
        after_seq: int = 0,
        limit: int = 50,
        customer_id: str | None = None,
        action: str | None = None,
    ) -> list[AuditEvent]: ...
