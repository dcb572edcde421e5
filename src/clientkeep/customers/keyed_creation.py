"""Making a record of a customer at most once per Idempotency-Key, whatever its kind.

The key table remembers, per member of staff and key, a keyed fingerprint of the request and
the customer it was about. A record made under a key takes an id worked out again from a
keyed digest of (kind, member, key), so a retried request finds the record it made without
the table holding record ids of every kind: the same request answers with that record, and
another request under the same key is refused. Contacts, complaints and feedback answers are
made so; registering a customer keeps its own path, as the key's record is the customer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from clientkeep.customers.errors import IdempotencyKeyReused
from clientkeep.customers.ports import IdempotencyRepository
from clientkeep.shared.actor import Actor
from clientkeep.shared.ids import derived_id, new_id

T = TypeVar("T")


class KeyedUnitOfWork(Protocol):
    idempotency: IdempotencyRepository


@dataclass(frozen=True, slots=True)
class KeyedRequest:
    """One creating request, as its key (if any) makes it: the id its record takes, and
    whether this is a retry of a request already carried out."""

    record_id: str
    key: str | None = None
    fingerprint: str = ""
    replay: bool = False


class KeyTakenMeanwhile(Exception):
    """A concurrent request with the same key committed first: run the request again, and it
    answers as a retry."""


def begin(
    uow: KeyedUnitOfWork,
    actor: Actor,
    *,
    kind: str,
    prefix: str,
    key: str | None,
    request: str,
    customer_id: str,
) -> KeyedRequest:
    """Inside the request's unit, after its customer is locked. ``request`` is the request's
    canonical text (its fingerprint is keyed); ``kind`` keeps one kind's keys from another's."""
    if key is None:
        return KeyedRequest(record_id=new_id(prefix))
    namespaced = f"{kind}\x00{key}"
    fingerprint = uow.idempotency.fingerprint(request)
    digest = bytes.fromhex(uow.idempotency.fingerprint(f"{kind}-id\x00{actor.id}\x00{key}"))
    seen = uow.idempotency.recall(actor.id, namespaced)
    if seen is not None and seen != (fingerprint, customer_id):
        raise IdempotencyKeyReused()
    return KeyedRequest(
        record_id=derived_id(prefix, digest),
        key=namespaced,
        fingerprint=fingerprint,
        replay=seen is not None,
    )


def finish(
    uow: KeyedUnitOfWork, actor: Actor, keyed: KeyedRequest, customer_id: str, now: datetime
) -> None:
    """Remember the key in the unit that made the record (before its commit)."""
    if keyed.key is not None and not uow.idempotency.remember(
        actor.id, keyed.key, keyed.fingerprint, customer_id, now
    ):
        raise KeyTakenMeanwhile()


def once(make: Callable[[], T]) -> T:
    """Run a keyed creation; when a concurrent twin committed first, once more, as a retry."""
    try:
        return make()
    except KeyTakenMeanwhile:
        return make()
