"""The same answer sent twice at once under one Idempotency-Key (a retry racing the first
try) is recorded once: both calls answer with the same answer, one of them as a replay."""

from __future__ import annotations

from sqlalchemy import func, select

from clientkeep.adapters.db.contact_tables import feedback as feedback_table
from tests.integration.feedback._making import a_customer, record
from tests.integration.verification.test_issue10_races import at_once


def test_two_calls_with_one_key_at_once_record_one_answer(container, personas) -> None:
    customer = a_customer(container, personas.agent)

    def send():
        return record(container, personas.agent, customer, nps=10, idempotency_key="race-1")

    first, second = at_once(send, send)
    assert first.feedback.id == second.feedback.id
    assert sorted([first.replayed, second.replayed]) == [False, True]
    with container.engine.connect() as conn:
        held = conn.execute(select(func.count()).select_from(feedback_table)).scalar_one()
    assert held == 1
