"""The key-destruction outbox: requests written with the change, carried out after commit.

The change and its request commit together or not at all. After commit the key is destroyed
and the request deleted; if the key store fails, the request stays for a sweep, the failure is
logged (the request's number and the error's type: nothing about the customer) and the caller
is not told, because the change it asked for did happen.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection, delete, insert, select

from clientkeep.adapters.db.tables import key_destruction_request
from clientkeep.shared.clock import Clock
from clientkeep.shared.key_outbox import check_reason

log = logging.getLogger("clientkeep.keys")
_r = key_destruction_request.c


class Destroyer(Protocol):
    def destroy(self, customer_id: str, version: int | None = None) -> None: ...


@dataclass(frozen=True, slots=True)
class Request:
    id: int
    customer_id: str
    key_version: int | None


class SqlKeyOutbox:
    """The unit of work's ``key_outbox``: the KeyOutbox port on the main database."""

    def __init__(
        self,
        conn: Connection,
        keys: Destroyer,
        clock: Clock,
        after_commit: Callable[[Callable[[], None]], None],
    ) -> None:
        self._conn = conn
        self._keys = keys
        self._clock = clock
        self._after_commit = after_commit
        self._requested: list[Request] = []

    def destroy_after_commit(
        self, customer_id: str, *, version: int | None = None, reason: str
    ) -> None:
        row = {
            "customer_id": customer_id,
            "key_version": version,
            "reason": check_reason(reason),
            "requested_at": self._clock.now(),
        }
        made = self._conn.execute(insert(key_destruction_request).values(row)).inserted_primary_key
        if made is None:
            raise RuntimeError("the database gave no id for the key destruction request")
        if not self._requested:
            self._after_commit(self._carry_out)
        self._requested.append(Request(int(made[0]), customer_id, version))

    def _carry_out(self) -> None:
        requested, self._requested = self._requested, []
        carry_out(self._conn, self._keys, requested)


def carry_out(conn: Connection, keys: Destroyer, requests: Sequence[Request]) -> int:
    """Destroy each request's key and delete the requests done; never raises. How many done.

    ``conn`` must not be in a transaction: the deletes are committed here.
    """
    done: list[int] = []
    for request in requests:
        try:
            keys.destroy(request.customer_id, request.key_version)
        except Exception as exc:
            # No message: a driver's may quote a customer id. The request says which it was.
            log.warning(
                "key destruction request %d is still pending (%s): the key store will be "
                "tried again at start-up and by `clientkeep keys sweep`",
                request.id,
                type(exc).__name__,
            )
        else:
            done.append(request.id)
    if not done:
        return 0
    try:
        conn.execute(delete(key_destruction_request).where(_r.id.in_(done)))
        conn.commit()
    except Exception as exc:
        with contextlib.suppress(Exception):  # a broken connection: its unit closes it
            conn.rollback()
        # The keys are gone; destroying is idempotent, so carrying the requests out again
        # later costs nothing.
        log.warning(
            "%d destroyed keys' requests could not be cleared (%s)", len(done), type(exc).__name__
        )
        return 0
    return len(done)


def pending(conn: Connection, *, after: int = 0, limit: int = 500) -> list[Request]:
    """Requests not yet carried out, oldest first, a page at a time."""
    query = (
        select(_r.id, _r.customer_id, _r.key_version)
        .where(_r.id > after)
        .order_by(_r.id)
        .limit(limit)
    )
    return [Request(r.id, r.customer_id, r.key_version) for r in conn.execute(query)]
