"""Every column kept beside an event's hashed bytes must agree with them, or verify fails.

The time, field names and detail were once shown from the body only and their copies left
unchecked; anyone filtering on the columns in SQL would have read whatever was put there.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from clientkeep.adapters.db.tables import audit_event
from tests.integration.audit.trail import append, entry, exec_sql, verify

TARGET = 4  # an event in the middle of the trail, so "first bad" means something


def event_row(container, seq: int = TARGET):
    with container.engine.connect() as conn:
        return conn.execute(select(audit_event).where(audit_event.c.seq == seq)).one()


def set_columns(container, **values) -> None:
    exec_sql(container, update(audit_event).where(audit_event.c.seq == TARGET).values(**values))


@pytest.fixture
def trail(container):
    append(container, 8)
    assert verify(container).ok
    return container


@pytest.mark.parametrize(
    "values",
    [
        {"fields": '["phone"]'},
        {"fields": "[]"},
        {"fields": '["email","email"]'},
        {"detail": '{"i":99}'},
        {"detail": "{}"},
        {"detail": '{"i":"3"}'},  # the same digits, another type
        {"detail": '{"i":3,"extra":true}'},
        {"fields": "email"},  # not JSON at all
        {"detail": '{"i":'},
        {"detail": '{"i":NaN}'},
    ],
    ids=lambda v: f"{next(iter(v))}={next(iter(v.values()))}",
)
def test_an_edited_copy_of_fields_or_detail_is_named(trail, values) -> None:
    set_columns(trail, **values)
    result = verify(trail)
    assert not result.ok
    assert result.first_bad_seq == TARGET
    assert "copy" in result.problem


@pytest.mark.parametrize("shift", [timedelta(microseconds=1), timedelta(hours=-1)])
def test_an_edited_time_is_named(trail, shift) -> None:
    set_columns(trail, occurred_at=event_row(trail).occurred_at + shift)
    result = verify(trail)
    assert not result.ok and result.first_bad_seq == TARGET


def test_the_time_spelt_other_than_as_stored_is_named_on_sqlite(trail, backend) -> None:
    if backend != "sqlite":
        pytest.skip("PostgreSQL keeps an instant, not its spelling")
    # The same instant to a parser, but not to SQL that compares the text.
    exec_sql(
        trail,
        text(
            "UPDATE audit_event SET occurred_at = replace(occurred_at, ' ', 'T') WHERE seq = :s"
        ).bindparams(s=TARGET),
    )
    result = verify(trail)
    assert not result.ok and result.first_bad_seq == TARGET


def test_the_first_of_several_edited_copies_is_named(trail) -> None:
    exec_sql(
        trail,
        update(audit_event).where(audit_event.c.seq == 6).values(fields="not json"),
        update(audit_event).where(audit_event.c.seq == TARGET).values(detail='{"i":-1}'),
    )
    result = verify(trail)
    assert not result.ok and result.first_bad_seq == TARGET


def test_copies_are_written_in_the_bodys_own_encoding(trail) -> None:
    row = event_row(trail)
    body = bytes(row.body).decode()
    assert f'"fields":{row.fields},' in body and f'"detail":{row.detail},' in body


def test_copies_written_in_the_earlier_encoding_still_verify(container) -> None:
    # Before, the copies were json.dumps with its default spacing and ASCII escapes.
    append(container, 3, fields=("email", "phone"), purpose="service")
    with container.uow() as uow:
        uow.audit.append(
            entry("audit.read", detail={"action_filter": "café", "returned": 2, "ok": True})
        )
        uow.commit()
    with container.engine.begin() as conn:
        for row in conn.execute(select(audit_event)).all():
            body = json.loads(bytes(row.body))
            conn.execute(
                update(audit_event)
                .where(audit_event.c.seq == row.seq)
                .values(
                    fields=json.dumps(body["fields"]),
                    detail=json.dumps(body["detail"], sort_keys=True),
                )
            )
        old = conn.execute(select(audit_event.c.detail).order_by(audit_event.c.seq.desc())).first()
    assert "caf\\u00e9" in old.detail and ": " in old.detail
    assert verify(container).ok
