"""A small thread-safe LRU of unwrapped data keys: unwrapping costs a query and an AES-GCM open.

Entries also expire: a key destroyed by another process (an erasure run from the CLI, another
server) is dropped from that process's store but not from this cache, so this process could
otherwise keep opening the customer's data until it restarts. An entry holds every version of
one customer's key, so destroying or adding a version drops the whole entry.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

DEFAULT_TTL_SECONDS = 60.0

V = TypeVar("V")


class KeyCache(Generic[V]):
    def __init__(
        self,
        max_entries: int = 10_000,
        *,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._max = max_entries
        self._ttl = ttl_seconds
        self._clock = clock
        # owner -> (value, monotonic time after which it must be fetched again)
        self._entries: OrderedDict[str, tuple[V, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, owner: str) -> V | None:
        with self._lock:
            found = self._entries.get(owner)
            if found is None:
                return None
            value, expires_at = found
            if self._clock() >= expires_at:
                del self._entries[owner]
                return None
            self._entries.move_to_end(owner)
            return value

    def get_many(self, owners: Iterable[str]) -> tuple[dict[str, V], list[str]]:
        """(what is cached, the owners that are not), each owner once, under one lock."""
        found: dict[str, V] = {}
        missing: list[str] = []
        entries = self._entries
        with self._lock:
            now = self._clock()
            for owner in dict.fromkeys(owners):
                entry = entries.get(owner)
                if entry is None:
                    missing.append(owner)
                elif now >= entry[1]:
                    del entries[owner]
                    missing.append(owner)
                else:
                    entries.move_to_end(owner)
                    found[owner] = entry[0]
        return found, missing

    def put(self, owner: str, value: V) -> None:
        if self._max <= 0 or self._ttl <= 0:
            return
        with self._lock:
            self._entries[owner] = (value, self._clock() + self._ttl)
            self._entries.move_to_end(owner)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def discard(self, owner: str) -> None:
        with self._lock:
            self._entries.pop(owner, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
