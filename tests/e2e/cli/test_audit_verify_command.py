"""`clientkeep audit verify`: exit 0 with the count and head; exit 1 naming the bad event."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, update

from clientkeep.adapters.db.tables import audit_event


def test_an_intact_trail_prints_its_count_and_head(initialised, run) -> None:
    result = run("audit", "verify")
    assert result.exit_code == 0
    assert "audit trail intact:" in result.output
    data = json.loads(run("audit", "verify", "--json").output)
    assert data["ok"] is True and data["count"] >= 1 and len(data["head_hash"]) == 64


def test_a_changed_event_fails_naming_it(initialised, run, database_urls) -> None:
    engine = create_engine(database_urls[0].replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        conn.execute(update(audit_event).where(audit_event.c.seq == 1).values(outcome="denied"))
    engine.dispose()
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert "BROKEN at event 1" in result.output


def test_commands_before_init_fail_in_one_line(run) -> None:
    result = run("serve")
    assert result.exit_code != 0
    assert "clientkeep init" in result.output
