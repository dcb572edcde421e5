"""`clientkeep demo` sets up one account per role and synthetic customers before serving."""

from __future__ import annotations

import stat

from clientkeep import bootstrap
from clientkeep.adapters.cli import serve
from clientkeep.adapters.cli._common import container


def test_the_demo_makes_accounts_per_role_and_loads_customers(cli_env, monkeypatch) -> None:
    served = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda app, **kw: served.append(kw))
    serve.demo(host="127.0.0.1", port=8999, customers=5)
    assert served and served[0]["port"] == 8999
    credentials = cli_env / "demo-credentials.txt"
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    names = [line.split()[0] for line in credentials.read_text().splitlines()]
    assert names == ["admin", "demo.agent", "demo.supervisor", "demo.dpo"]
    c = container()
    bootstrap.check_ready(c)
    with c.uow() as uow:
        assert len(uow.customers.stale_candidates({"email": c.clock.now()}, limit=50)) == 5
    c.close()


def test_a_second_demo_start_keeps_the_first_set_up(cli_env, monkeypatch) -> None:
    monkeypatch.setattr(serve.uvicorn, "run", lambda app, **kw: None)
    serve.demo(host="127.0.0.1", port=8999, customers=2)
    first = (cli_env / "demo-credentials.txt").read_text()
    serve.demo(host="127.0.0.1", port=8999, customers=2)
    assert (cli_env / "demo-credentials.txt").read_text() == first


def test_the_demos_planted_duplicates_wait_in_the_review_queue(cli_env, monkeypatch) -> None:
    monkeypatch.setattr(serve.uvicorn, "run", lambda app, **kw: None)
    serve.demo(host="127.0.0.1", port=8999, customers=300)
    c = container()
    with c.uow() as uow:
        assert len(uow.duplicates.open(limit=100)) >= 2
    c.close()
