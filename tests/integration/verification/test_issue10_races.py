"""Issue 10 under concurrency, on real storage: an approved third-party request answers one
disclosure even when two members press "disclose" at once; two members deciding one request
or one representative at once leave exactly one decision; and a decision that read the
request before another member decided it (PostgreSQL, where two units run side by side) is
refused, not written over the first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from clientkeep.adapters.db.disclosure_tables import disclosure
from clientkeep.adapters.db.third_party_request_repository import SqlThirdPartyRequestRepository
from clientkeep.shared.errors import Conflict, DomainError
from clientkeep.verification import disclosure as disclosures
from clientkeep.verification import representatives as reps
from clientkeep.verification import third_party
from clientkeep.verification.third_party_model import RequestNotApproved, RequestStatus
from tests.integration.record_kinds._storage import audit_events
from tests.integration.verification.test_representatives_on_storage import THEIRS, ada, run

__all__ = ["ada"]  # the fixture, used by name below


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run each call in a thread of its own, started together; each result or error."""
    barrier = threading.Barrier(len(calls), timeout=20)
    results: list[Any] = [None] * len(calls)

    def worker(n: int, call: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[n] = call()
        except DomainError as exc:
            results[n] = exc

    threads = [threading.Thread(target=worker, args=(n, c)) for n, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return results


def _request(container, personas, customer_id: str, *, approve: bool = True) -> str:
    made = run(
        third_party.record_request,
        customer_id,
        third_party.RecordRequest(
            requester="DC Sam Example",
            organisation="Example Constabulary",
            identity_check="called back on the switchboard",
            basis="crime_and_taxation",
            reference="CR/1",
            reason="a fraud inquiry",
            fields=["email"],
        ),
        container=container,
        persona=personas.agent,
    )
    if approve:
        run(
            third_party.decide,
            made.id,
            third_party.DecideRequest(decision="approve", reason="crime number checked"),
            container=container,
            persona=personas.supervisor,
        )
    return made.id


def _answer(container, persona, customer_id: str, request_id: str) -> Callable[[], Any]:
    return lambda: run(
        disclosures.disclose,
        customer_id,
        disclosures.Disclose(
            verification_id=None,
            request_id=request_id,
            fields=["email"],
            channel="letter",
            recipient="DC Sam Example",
        ),
        container=container,
        persona=persona,
    )


def test_two_members_answering_one_request_at_once_disclose_once(container, personas, ada) -> None:
    for _ in range(3):
        request_id = _request(container, personas, ada)
        results = at_once(
            _answer(container, personas.agent, ada, request_id),
            _answer(container, personas.supervisor, ada, request_id),
        )
        told = [r for r in results if isinstance(r, disclosures.Disclosed)]
        refused = [r for r in results if isinstance(r, RequestNotApproved)]
        assert len(told) == 1 and len(refused) == 1, results
        with container.engine.connect() as conn:
            rows = conn.execute(
                select(func.count()).where(disclosure.c.request_id == request_id)
            ).scalar_one()
        assert rows == 1
        with container.uow().reading() as uow:
            held = uow.third_party_requests.get(request_id)
        assert held is not None and held.status is RequestStatus.DISCLOSED
        assert held.disclosure_id == told[0].disclosure_id
    outcomes = [e.entry.outcome for e in audit_events(container, "customer.disclosed", ada)]
    assert sorted(outcomes) == ["denied"] * 3 + ["success"] * 3


def _decide(container, persona, request_id: str, decision: str) -> Callable[[], Any]:
    return lambda: run(
        third_party.decide,
        request_id,
        third_party.DecideRequest(decision=decision, reason=f"{decision}: checked"),
        container=container,
        persona=persona,
    )


def test_two_members_deciding_one_request_at_once_leave_one_decision(
    container, personas, ada
) -> None:
    request_id = _request(container, personas, ada, approve=False)
    results = at_once(
        _decide(container, personas.supervisor, request_id, "approve"),
        _decide(container, personas.dpo, request_id, "refuse"),
    )
    won = [r for r in results if not isinstance(r, DomainError)]
    assert len(won) == 1 and sum(isinstance(r, Conflict) for r in results) == 1, results
    with container.uow().reading() as uow:
        held = uow.third_party_requests.get(request_id)
    assert held is not None
    assert (held.status, held.decided_by, held.decision) == (
        won[0].status,
        won[0].decided_by,
        won[0].decision,
    )
    decided = audit_events(container, "third_party_request.decided", ada)
    assert [e.entry.outcome for e in decided] == ["success"]


def test_a_decision_that_read_the_request_before_another_was_made_is_refused(
    container, personas, ada, backend, monkeypatch
) -> None:
    if backend != "postgres":
        pytest.skip("SQLite runs one writing unit at a time: no two decisions overlap")
    request_id = _request(container, personas, ada, approve=False)
    # Both decisions read the pending request before either locks the customer.
    barrier = threading.Barrier(2, timeout=20)
    read = SqlThirdPartyRequestRepository.get
    waited = threading.local()

    def get_then_wait(self, wanted):
        found = read(self, wanted)
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()
        return found

    monkeypatch.setattr(SqlThirdPartyRequestRepository, "get", get_then_wait)
    results = at_once(
        _decide(container, personas.supervisor, request_id, "approve"),
        _decide(container, personas.dpo, request_id, "refuse"),
    )
    monkeypatch.undo()
    assert sum(isinstance(r, Conflict) for r in results) == 1, results
    [won] = [r for r in results if not isinstance(r, DomainError)]
    with container.uow().reading() as uow:
        held = uow.third_party_requests.get(request_id)
    assert held is not None and (held.status, held.decided_by) == (won.status, won.decided_by)


def test_two_members_approving_one_representative_at_once_leave_one_decision(
    container, personas, ada
) -> None:
    rep_id = run(
        reps.record_representative,
        ada,
        reps.RecordRepresentative(
            name="Ann Other",
            relationship="daughter",
            authority="deputyship",
            reference="",
            evidence_seen="the court order",
            scope_fields=["email"],
            scope_actions=["disclose"],
            answers=THEIRS,
        ),
        container=container,
        persona=personas.agent,
    ).representative_id

    def decide(persona, decision):
        return lambda: run(
            reps.decide,
            ada,
            rep_id,
            reps.Decide(decision=decision, reason="order checked"),
            container=container,
            persona=persona,
        )

    results = at_once(decide(personas.supervisor, "approve"), decide(personas.dpo, "refuse"))
    won = [r for r in results if not isinstance(r, DomainError)]
    assert len(won) == 1 and sum(isinstance(r, Conflict) for r in results) == 1, results
    with container.uow().reading() as uow:
        held = uow.representatives.get(rep_id)
    assert held is not None and held.status.value == won[0].status
    decided = audit_events(container, "customer.representative_decided", ada)
    assert [e.entry.outcome for e in decided] == ["success"]
