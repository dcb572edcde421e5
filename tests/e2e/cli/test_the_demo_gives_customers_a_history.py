"""The demo gives some of its customers a history, so the timeline, the follow-ups, the
complaints board and the satisfaction dashboard have something to show from the start."""

from __future__ import annotations

import uvicorn
from sqlalchemy import func, select

from clientkeep.adapters.cli import serve
from clientkeep.adapters.cli._common import container
from clientkeep.adapters.db.contact_tables import complaint, feedback, interaction
from clientkeep.audit import services as audit


def _count(c, table, *where) -> int:
    with c.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()


def test_the_demo_logs_contacts_complaints_and_feedback(run, cli_env, monkeypatch) -> None:
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    serve.demo(host="127.0.0.1", port=8999, customers=30)
    c = container()
    try:
        contacts = _count(c, interaction)
        assert contacts >= 30
        assert _count(c, interaction, interaction.c.follow_up_due.is_not(None)) >= 1
        assert _count(c, complaint) >= 6
        # Every stage the board shows is there, from new to closed.
        with c.engine.connect() as conn:
            states = set(conn.execute(select(complaint.c.state).distinct()).scalars())
        assert {"received", "acknowledged", "investigating", "resolved", "closed"} <= states
        assert _count(c, complaint, complaint.c.on_hold_since.is_not(None)) >= 1
        assert _count(c, feedback) >= 1
        # Through the real use cases: the trail holds each and still verifies.
        assert audit.verify(uow=c.uow()).ok
    finally:
        c.close()
    said = " ".join(run("demo", "--port", "8999").stdout.split())
    assert f"Their history: {contacts:,} contacts" in said
