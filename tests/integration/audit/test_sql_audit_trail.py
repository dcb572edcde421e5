"""The stored trail: appends chain correctly, and tampering with the rows is detected."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, select, update

from clientkeep.adapters.db.tables import audit_chain, audit_event
from clientkeep.audit import services as audit
from clientkeep.audit.model import AuditEntry
from clientkeep.audit.ports import TrailFilter
from clientkeep.shared.errors import PermissionDenied


def append(container, n: int) -> None:
    with container.uow() as uow:
        for i in range(n):
            uow.audit.append(
                AuditEntry(
                    action="test.event",
                    actor_id="test",
                    actor_role="system",
                    credential="test",
                    fields=("email",),
                    detail={"i": i},
                )
            )
        uow.commit()


def verify(container):
    return audit.verify(uow=container.uow())


def test_a_fresh_installation_has_an_intact_trail_of_its_set_up(container) -> None:
    result = verify(container)
    assert result.ok and result.count >= 1


def test_appended_events_verify(container) -> None:
    append(container, 20)
    assert verify(container).ok


def exec_sql(container, statement) -> None:
    with container.engine.begin() as conn:
        conn.execute(statement)


def test_changing_a_stored_event_is_detected(container) -> None:
    append(container, 5)
    exec_sql(
        container, update(audit_event).where(audit_event.c.seq == 3).values(action="something.else")
    )
    result = verify(container)
    assert not result.ok and result.first_bad_seq == 3


def test_changing_the_hashed_bytes_of_an_event_is_detected(container) -> None:
    append(container, 5)
    with container.engine.begin() as conn:
        body = conn.execute(select(audit_event.c.body).where(audit_event.c.seq == 4)).scalar()
        forged = bytes(body).replace(b'"test.event"', b'"test.evenT"')
        assert forged != bytes(body)
        conn.execute(update(audit_event).where(audit_event.c.seq == 4).values(body=forged))
    result = verify(container)
    assert not result.ok and result.first_bad_seq == 4


def test_moving_an_event_to_another_customer_in_the_columns_alone_is_detected(container) -> None:
    # A subject access request filters by the customer column: hiding an event from it by
    # editing that column must fail verification, though the hashed bytes are untouched.
    append(container, 5)
    exec_sql(
        container, update(audit_event).where(audit_event.c.seq == 5).values(customer_id="cus_x")
    )
    result = verify(container)
    assert not result.ok and result.first_bad_seq == 5


def test_a_rewritten_link_column_is_detected(container) -> None:
    append(container, 4)
    exec_sql(
        container, update(audit_event).where(audit_event.c.seq == 3).values(prev_hash="a" * 64)
    )
    result = verify(container)
    assert not result.ok and result.first_bad_seq == 3


def test_a_trail_deleted_with_its_head_fails_verification(container) -> None:
    exec_sql(container, delete(audit_event))
    exec_sql(container, delete(audit_chain))
    result = verify(container)
    assert not result.ok and result.problem == "the chain head is missing"


def test_bulk_appends_chain_like_single_ones(container) -> None:
    with container.uow() as uow:
        uow.audit.append_many(
            [
                AuditEntry(action="test.bulk", actor_id="test", actor_role="system", credential="t")
                for _ in range(50)
            ]
        )
        uow.commit()
    append(container, 2)
    result = verify(container)
    assert result.ok
    with container.uow() as uow:
        events = uow.audit.page(TrailFilter(action="test.bulk"), limit=100)
    assert len(events) == 50 and [e.seq for e in events] == list(
        range(events[0].seq, events[0].seq + 50)
    )


def test_deleting_a_stored_event_is_detected(container) -> None:
    append(container, 5)
    exec_sql(container, delete(audit_event).where(audit_event.c.seq == 2))
    result = verify(container)
    assert not result.ok and result.first_bad_seq == 2


def test_deleting_the_newest_events_and_the_head_is_detected_by_the_head(container) -> None:
    append(container, 5)
    exec_sql(container, delete(audit_event).where(audit_event.c.seq == 6))
    result = verify(container)
    assert not result.ok and result.first_bad_seq == 6


def test_swapping_two_stored_events_is_detected(container) -> None:
    append(container, 5)
    with container.engine.begin() as conn:
        rows = {
            r.seq: r._mapping
            for r in conn.execute(select(audit_event).where(audit_event.c.seq.in_([2, 3])))
        }
        for seq, other in ((2, 3), (3, 2)):
            values = {k: v for k, v in rows[other].items() if k not in ("seq", "chain", "id")}
            values["id"] = f"swap_{seq}"
            conn.execute(update(audit_event).where(audit_event.c.seq == seq).values(**values))
    result = verify(container)
    assert not result.ok and result.first_bad_seq == 2


def test_inserting_a_stored_event_is_detected(container) -> None:
    append(container, 3)
    with container.engine.begin() as conn:
        last = conn.execute(select(audit_event).order_by(audit_event.c.seq.desc())).first()
        values = dict(last._mapping)
        values.update(seq=last.seq + 1, id="aud_inserted", hash="f" * 64, prev_hash=last.hash)
        conn.execute(audit_event.insert().values(**values))
        conn.execute(update(audit_chain).values(head_seq=last.seq + 1, head_hash="f" * 64))
    result = verify(container)
    assert not result.ok and result.first_bad_seq == last.seq + 1


def test_concurrent_appends_keep_one_unbroken_chain(container) -> None:
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            append(container, 10)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    result = verify(container)
    assert result.ok and result.count >= 40


def test_only_a_role_that_reads_the_audit_trail_may_page_it(container, personas) -> None:
    with pytest.raises(PermissionDenied):
        audit.read_page(
            audit.AuditQuery(),
            uow=container.uow(),
            actor=personas.agent.actor,
            policy=container.policy,
        )
    page = audit.read_page(
        audit.AuditQuery(limit=2),
        uow=container.uow(),
        actor=personas.dpo.actor,
        policy=container.policy,
    )
    assert len(page.events) == 2 and page.older == page.events[-1].seq
    with container.uow() as uow:
        newest = uow.audit.page(TrailFilter(), newest_first=True, limit=1)[0]
    assert newest.entry.action == "audit.read" and newest.entry.actor_id == personas.dpo.actor.id


def test_rewriting_the_head_without_the_key_is_detected(container) -> None:
    append(container, 3)
    with container.engine.begin() as conn:
        last = conn.execute(select(audit_event).order_by(audit_event.c.seq.desc())).first()
        conn.execute(delete(audit_event).where(audit_event.c.seq == last.seq))
        conn.execute(update(audit_chain).values(head_seq=last.seq - 1, head_hash=last.prev_hash))
    result = verify(container)
    assert not result.ok
    assert "seal" in result.problem
