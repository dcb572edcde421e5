"""The unwrapped-key cache: least recently used entries go first, and every entry expires."""

from __future__ import annotations

from clientkeep.adapters.crypto._cache import DEFAULT_TTL_SECONDS, KeyCache


class FakeMonotonic:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_cached_key_is_returned_until_its_time_runs_out() -> None:
    clock = FakeMonotonic()
    cache = KeyCache(ttl_seconds=60, clock=clock)
    cache.put("cus_a", b"k" * 32)
    clock.now += 59.9
    assert cache.get("cus_a") == b"k" * 32
    clock.now += 0.1
    assert cache.get("cus_a") is None
    assert len(cache) == 0


def test_using_a_key_does_not_extend_its_life() -> None:
    # Otherwise a busy process would keep a key destroyed elsewhere for ever.
    clock = FakeMonotonic()
    cache = KeyCache(ttl_seconds=60, clock=clock)
    cache.put("cus_a", b"k" * 32)
    for _ in range(6):
        clock.now += 10
        cache.get("cus_a")
    assert cache.get("cus_a") is None


def test_the_default_lifetime_is_about_a_minute() -> None:
    clock = FakeMonotonic()
    cache = KeyCache(clock=clock)
    cache.put("cus_a", b"k" * 32)
    clock.now += DEFAULT_TTL_SECONDS
    assert DEFAULT_TTL_SECONDS <= 60
    assert cache.get("cus_a") is None


def test_the_least_recently_used_key_is_dropped_when_full() -> None:
    cache = KeyCache(max_entries=2)
    cache.put("cus_a", b"a" * 32)
    cache.put("cus_b", b"b" * 32)
    cache.get("cus_a")
    cache.put("cus_c", b"c" * 32)
    assert cache.get("cus_b") is None
    assert cache.get("cus_a") == b"a" * 32 and cache.get("cus_c") == b"c" * 32


def test_a_discarded_key_is_gone_at_once() -> None:
    cache = KeyCache()
    cache.put("cus_a", b"a" * 32)
    cache.discard("cus_a")
    assert cache.get("cus_a") is None


def test_many_keys_are_looked_up_at_once_each_once() -> None:
    clock = FakeMonotonic()
    cache = KeyCache(ttl_seconds=60, clock=clock)
    cache.put("cus_a", b"a" * 32)
    clock.now += 30
    cache.put("cus_b", b"b" * 32)
    clock.now += 30  # cus_a has expired, cus_b has not
    found, missing = cache.get_many(["cus_b", "cus_a", "cus_c", "cus_b"])
    assert found == {"cus_b": b"b" * 32}
    assert missing == ["cus_a", "cus_c"]
    assert len(cache) == 1
