"""Reading and verifying the trail read in a reading unit; a read is recorded after, committed."""

from __future__ import annotations

from dataclasses import replace

from clientkeep.audit import services as audit
from clientkeep.audit.model import AuditEntry
from clientkeep.audit.ports import ChainHead
from tests.fakes import FakeAuditLog


class WatchedAuditLog(FakeAuditLog):
    """Notes each call and whether it came inside a reading unit."""

    def __init__(self, clock) -> None:
        super().__init__(clock)
        self.calls: list[tuple[str, bool]] = []

    def _note(self, name: str) -> None:
        self.calls.append((name, self._unit is not None and self._unit.read_only))

    def page(self, where=None, **kwargs):
        self._note("page")
        return super().page(where, **kwargs)

    def append(self, entry, **kwargs):
        self._note("append")
        return super().append(entry, **kwargs)

    def checkpoint(self, **kwargs):
        self._note("checkpoint")
        head = super().head(**kwargs)
        return None if head is None else ChainHead(head.seq, head.hash, authentic=True)

    def head(self, **kwargs):
        self._note("head")
        return super().head(**kwargs)

    def links(self, **kwargs):
        self._note("links")
        return super().links(**kwargs)

    def begin_copy_check(self, **kwargs):
        self._note("copies begun")
        answer = super().begin_copy_check(**kwargs)

        def waited():
            self._note("copies answered")
            return answer()

        return waited


def watch(uow, clock) -> WatchedAuditLog:
    log = WatchedAuditLog(clock)
    log.append(AuditEntry(action="test.event", actor_id="t", actor_role="system", credential="t"))
    log.calls.clear()
    uow.audit = log
    return log


def test_a_page_is_read_in_a_reading_unit_and_its_read_recorded_in_a_writing_one(
    uow, clock, personas, policy
) -> None:
    log = watch(uow, clock)
    page = audit.read_page(audit.AuditQuery(), uow=uow, actor=personas.dpo.actor, policy=policy)
    assert [e.entry.action for e in page.events] == ["test.event"]
    assert log.calls == [("page", True), ("append", False)]
    # Committed before the page came back: the unit is closed and the event is still there.
    assert log.actions()[-1] == "audit.read" and uow.commits == 1


def test_verification_reads_only_and_reads_the_checkpoint_before_the_head(uow, clock) -> None:
    log = watch(uow, clock)
    result = audit.verify(uow=uow)
    assert result.ok and result.checkpoint_seq == 1
    assert log.calls[:3] == [("checkpoint", True), ("head", True), ("copies begun", True)]
    # Begun before the chain is walked, so storage can do both at once; answered in the unit.
    assert log.calls.index(("links", True)) < log.calls.index(("copies answered", True))
    assert all(reading for _, reading in log.calls)


def test_the_copy_check_is_waited_for_even_when_the_chain_is_broken(uow, clock) -> None:
    log = watch(uow, clock)
    log.events[0] = replace(log.events[0], hash="0" * 64)
    result = audit.verify(uow=uow)
    assert not result.ok and result.problem == "content does not match its hash"
    assert ("copies answered", True) in log.calls


def test_verification_asked_for_on_the_web_is_recorded_after_it(uow, clock, personas, policy):
    log = watch(uow, clock)
    result = audit.verify_as(personas.dpo.actor, uow=uow, policy=policy)
    assert result.ok
    assert log.calls[-1] == ("append", False)
    assert log.actions()[-1] == "audit.verified" and uow.commits == 1
