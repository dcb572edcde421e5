"""A long verification reads in a reading unit: writers commit while it streams."""

from __future__ import annotations

import threading

from clientkeep.adapters.db.audit_repository import SqlAuditLog
from clientkeep.audit.model import MAIN_CHAIN
from tests.integration.audit.trail import append, entry, head_row, verify


def test_another_unit_appends_and_commits_while_verification_is_streaming(
    container, monkeypatch
) -> None:
    append(container, 30)
    streaming, resume = threading.Event(), threading.Event()
    original = SqlAuditLog.links

    def pausing_links(self, *, chain=MAIN_CHAIN, batch_size=20_000):
        # Small batches, so the cursor is still open, mid-trail, while we wait.
        for n, link in enumerate(original(self, chain=chain, batch_size=5), start=1):
            yield link
            if n == 5:
                streaming.set()
                resume.wait(timeout=60)

    monkeypatch.setattr(SqlAuditLog, "links", pausing_links)
    results = []
    verifier = threading.Thread(target=lambda: results.append(verify(container)))
    committed = threading.Event()

    def write() -> None:
        with container.uow() as uow:
            uow.audit.append(entry("written.while.verifying"))
            uow.commit()
        committed.set()

    writer = threading.Thread(target=write)
    verifier.start()
    try:
        assert streaming.wait(timeout=30)
        writer.start()
        # A writer waiting on verification would wait for all of it (30 s, then time out,
        # in another process); here it must not wait at all.
        assert committed.wait(timeout=10), "the writer waited for the verification"
    finally:
        resume.set()
        verifier.join(timeout=60)
        if writer.ident is not None:
            writer.join(timeout=60)
    assert results and results[0].ok
    assert head_row(container)["head_seq"] == results[0].count + 1
