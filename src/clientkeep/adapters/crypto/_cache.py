"""A small thread-safe LRU of unwrapped data keys: unwrapping costs a query and an AES-GCM open."""

from __future__ import annotations

import threading
from collections import OrderedDict


class KeyCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self._max = max_entries
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, owner: str) -> bytes | None:
        with self._lock:
            key = self._entries.get(owner)
            if key is not None:
                self._entries.move_to_end(owner)
            return key

    def put(self, owner: str, key: bytes) -> None:
        if self._max <= 0:
            return
        with self._lock:
            self._entries[owner] = key
            self._entries.move_to_end(owner)
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)

    def discard(self, owner: str) -> None:
        with self._lock:
            self._entries.pop(owner, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
