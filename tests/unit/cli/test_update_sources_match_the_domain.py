"""The sources `customer update --help` writes out (so help need not load the domain) stay
equal to the domain's: a caller's channels, and where an internal correction may come from."""

from __future__ import annotations

from clientkeep.adapters.cli import customers as customers_cli
from clientkeep.customers.model import CALLER_CHANNELS, INTERNAL_SOURCES


def test_the_caller_channels() -> None:
    assert tuple(s.value for s in CALLER_CHANNELS) == customers_cli.CALLER_SOURCES


def test_the_internal_sources() -> None:
    assert tuple(s.value for s in INTERNAL_SOURCES) == customers_cli.INTERNAL_SOURCES
