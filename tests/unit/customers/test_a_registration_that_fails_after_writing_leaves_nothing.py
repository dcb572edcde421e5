"""A registration that fails part way, after the record and its history were written, leaves
nothing behind: its unit rolls back whole."""

from __future__ import annotations

import pytest

from clientkeep.customers import services as customers
from clientkeep.customers.ports import LikelyDuplicate
from tests.fakes import FakeAuditLog
from tests.unit.conftest import ADA, GRACE


class AuditLogThatFails(FakeAuditLog):
    """Fails the registration's own event, noting what the unit had written by then."""

    def __init__(self, clock, uow) -> None:
        super().__init__(clock)
        self._uow = uow
        self.written_before_failing: tuple[int, int] | None = None

    def append(self, entry, *, chain="main"):
        if entry.action == "customer.created":
            self.written_before_failing = (
                len(self._uow.customers.rows),
                len(self._uow.history.changes),
            )
            raise ConnectionError("the audit trail went away")
        return super().append(entry, chain=chain)


def failing_finder(candidate, *, uow, policy, exclude=None, limit=10) -> list[LikelyDuplicate]:
    raise ConnectionError("the index went away")


def register_with(uow, policy, clock, personas, finder, fields) -> customers.Registered:
    return customers.register(
        customers.RegisterCustomer(purpose="service", fields=fields, source="phone"),
        uow=uow,
        actor=personas.agent.actor,
        policy=policy,
        clock=clock,
        duplicates=finder,
    )


def test_a_failure_after_the_record_and_history_were_written_leaves_neither(
    uow, register, clock
) -> None:
    uow.audit = AuditLogThatFails(clock, uow)
    with pytest.raises(ConnectionError):
        register()
    assert uow.audit.written_before_failing == (1, 9)  # the record and its nine fields
    assert uow.customers.rows == {}
    assert uow.history.changes == []
    assert uow.commits == 0


def test_a_duplicate_finder_that_fails_leaves_nothing_and_no_event(
    uow, policy, clock, personas
) -> None:
    with pytest.raises(ConnectionError):
        register_with(uow, policy, clock, personas, failing_finder, ADA)
    assert uow.customers.rows == {}
    assert uow.history.changes == []
    assert uow.audit.events == []


def test_a_finder_result_that_breaks_the_registration_after_writing_leaves_nothing(
    uow, register, policy, clock, personas
) -> None:
    grace = register(GRACE).customer

    def broken_finder(candidate, *, uow, policy, exclude=None, limit=10):
        # A match with no customer: registering fails on it only after writing the record.
        return [LikelyDuplicate(customer=None, reasons=("same email",), score=100.0)]

    with pytest.raises(AttributeError):
        register_with(uow, policy, clock, personas, broken_finder, ADA)
    assert list(uow.customers.rows) == [grace.id]
    assert {c.customer_id for c in uow.history.changes} == {grace.id}
    assert uow.duplicates.suspects == {}
    assert uow.audit.actions() == ["customer.created"]  # Grace's only
