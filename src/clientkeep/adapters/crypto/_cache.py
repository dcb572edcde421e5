"""A small thread-safe LRU of unwrapped data keys: unwrapping costs a query and an AES-GCM open.

Entries also expire: a key destroyed by another process (an erasure run from the CLI, another
server) is dropped from that process's store but not from this cache, so this process could
otherwise keep opening the customer's data until it restarts.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

DEFAULT_TTL_SECONDS = 60.0


class KeyCache:
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
        # owner -> (key, monotonic time after which it must be fetched again)
        self._entries: OrderedDict[str, tuple[bytes, float]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, owner: str) -> bytes | None:
        with self._lock:
            found = self._entries.get(owner)
            if found is None:
                return None
            key, expires_at = found
            if self._clock() >= expires_at:
                del self._entries[owner]
                return None
            self._entries.move_to_end(owner)
            return key

    def put(self, owner: str, key: bytes) -> None:
        if self._max <= 0 or self._ttl <= 0:
            return
        with self._lock:
            self._entries[owner] = (key, self._clock() + self._ttl)
            self._entries.move_to_end(owner)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def discard(self, owner: str) -> None:
        with self._lock:
            self._entries.pop(owner, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
