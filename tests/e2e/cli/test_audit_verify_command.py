"""`clientkeep audit verify`: exit 0 with the count, head and newest checkpoint; exit 1 naming
the bad event, also when the trail has been cut back to an older head."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import create_engine, delete, select, update

from clientkeep.adapters.db.tables import audit_chain, audit_event


@pytest.fixture
def main_db(database_urls):
    engine = create_engine(database_urls[0].replace("postgresql://", "postgresql+psycopg://"))
    yield engine
    engine.dispose()


def test_an_intact_trail_prints_its_count_head_and_newest_checkpoint(initialised, run) -> None:
    result = run("audit", "verify")
    assert result.exit_code == 0
    assert "audit trail intact:" in result.output
    data = json.loads(run("audit", "verify", "--json").stdout)
    assert data["ok"] is True and data["count"] >= 1 and len(data["head_hash"]) == 64
    assert data["head_seq"] == data["count"]
    # `init` appended events, and the first append of a process is always checkpointed.
    assert 1 <= data["checkpoint_seq"] <= data["head_seq"] and len(data["checkpoint_hash"]) == 64
    assert f"head: event {data['head_seq']} {data['head_hash']}" in result.output
    assert f"newest checkpoint: event {data['checkpoint_seq']} " in result.output


def test_a_changed_event_fails_naming_it(initialised, run, main_db) -> None:
    with main_db.begin() as conn:
        conn.execute(update(audit_event).where(audit_event.c.seq == 1).values(outcome="denied"))
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert "BROKEN at event 1" in result.output


def test_a_trail_cut_back_to_an_older_head_fails(initialised, run, main_db) -> None:
    with main_db.connect() as conn:
        saved = dict(conn.execute(select(audit_chain)).one()._mapping)
    added = run(
        "user",
        "add",
        "alice",
        "--role",
        "agent",
        "--password-stdin",
        input="a sound long password\n",
    )
    assert added.exit_code == 0, added.output
    assert run("audit", "verify").exit_code == 0
    with main_db.begin() as conn:
        conn.execute(delete(audit_event).where(audit_event.c.seq > saved["head_seq"]))
        conn.execute(update(audit_chain).values(**saved))
    result = run("audit", "verify")
    assert result.exit_code == 1
    assert f"BROKEN at event {saved['head_seq'] + 1}" in result.output
    assert "older than the newest checkpoint" in result.output


def test_commands_before_init_fail_in_one_line(run) -> None:
    result = run("serve")
    assert result.exit_code != 0
    assert "clientkeep init" in result.output
