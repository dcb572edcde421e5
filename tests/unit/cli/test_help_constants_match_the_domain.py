"""Values the CLI writes out so `--help` need not import the domain stay equal to the domain's."""

from __future__ import annotations

from clientkeep.adapters.cli import audit as audit_cli
from clientkeep.adapters.cli import customer_list as list_cli
from clientkeep.adapters.cli import customers as customers_cli
from clientkeep.adapters.cli import keys as keys_cli
from clientkeep.adapters.db import key_sweep
from clientkeep.audit import services as audit
from clientkeep.customers import listing, rectification
from clientkeep.matching import book_scan


def test_confirm_methods() -> None:
    assert customers_cli.CONFIRM_METHODS == rectification.CONFIRM_METHODS


def test_the_duplicate_scans_batch() -> None:
    assert customers_cli.SCAN_BATCH == book_scan.DEFAULT_BATCH


def test_the_audit_trails_largest_page() -> None:
    assert audit_cli.MAX_PAGE == audit.MAX_PAGE


def test_the_key_sweeps_grace_periods() -> None:
    assert key_sweep.GRACE.total_seconds() == keys_cli.GRACE_MINUTES * 60
    assert key_sweep.MIN_GRACE.total_seconds() == keys_cli.MIN_GRACE_MINUTES * 60


def test_the_customer_lists_page_sizes() -> None:
    assert (list_cli.MAX_LIMIT, list_cli.DEFAULT_LIMIT) == (
        listing.MAX_LIMIT,
        listing.DEFAULT_LIMIT,
    )
