"""`clientkeep demo` sets up one account per role and synthetic customers before serving."""

from __future__ import annotations

import json
import re
import stat

import uvicorn

from clientkeep import bootstrap, synthetic
from clientkeep.adapters.cli import serve
from clientkeep.adapters.cli._common import container


def test_the_demo_makes_accounts_per_role_and_loads_customers(cli_env, monkeypatch) -> None:
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(kw))
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
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    serve.demo(host="127.0.0.1", port=8999, customers=2)
    first = (cli_env / "demo-credentials.txt").read_text()
    serve.demo(host="127.0.0.1", port=8999, customers=2)
    assert (cli_env / "demo-credentials.txt").read_text() == first


def test_the_demos_planted_duplicates_wait_in_the_review_queue(cli_env, monkeypatch) -> None:
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: None)
    serve.demo(host="127.0.0.1", port=8999, customers=300)
    c = container()
    with c.uow() as uow:
        assert len(uow.duplicates.open(limit=100)) >= 2
    c.close()


def _planted(count: int) -> int:
    records = synthetic.generate(count, seed=serve.DEMO_SEED, duplicate_rate=0.02)
    return sum(1 for r in records if r.duplicate_of is not None)


def _not_served(monkeypatch) -> list[object]:
    served: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.append(app))
    return served


def test_the_demo_says_what_it_loaded_and_how_to_sign_in(run, cli_env, monkeypatch) -> None:
    _not_served(monkeypatch)
    result = run("demo", "--port", "8999", "--customers", "300")
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    c = container()
    with c.uow() as uow:
        queued = len(uow.duplicates.open(limit=1_000))
    c.close()
    assert _planted(300) > 0 and queued > 0
    assert (
        f"Loaded when set up: 300 synthetic customers, {_planted(300)} of them planted "
        f"duplicates; the duplicate scan put {queued} likely pairs in the review queue "
        "(http://127.0.0.1:8999/review)."
    ) in out
    assert "Sign in at http://127.0.0.1:8999/sign-in" in out
    for line in (cli_env / "demo-credentials.txt").read_text().splitlines():
        username, password = line.split()
        role = username.removeprefix("demo.")
        assert re.search(rf"^\s*{re.escape(username)}\s+{role}\s+{re.escape(password)}$",
                         result.stdout, re.MULTILINE), username  # fmt: skip
    assert "http://127.0.0.1:8999/staff/tokens" in out


def test_the_names_the_demo_suggests_are_there_to_find(run, monkeypatch) -> None:
    _not_served(monkeypatch)
    result = run("demo", "--customers", "300")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Search for these at"))
    suggested = [line.strip() for line in lines[start + 1 : start + 5]]
    people = [s.rsplit(maxsplit=1) for s in suggested if "@" in s.split()[-1]]
    assert len(people) == 3
    for name, email in people:
        found = run("customer", "find", "--as", "demo.agent", "--purpose", "service",
                    "--email", email, "--json")  # fmt: skip
        assert found.exit_code == 0, found.output
        assert name in [m["display_name"] for m in json.loads(found.stdout)["items"]], email
    duplicate = re.fullmatch(r"(.+)  \(a planted duplicate of (.+): (.+)\)", suggested[-1])
    assert duplicate, suggested[-1]
    found = run("customer", "find", "--as", "demo.agent", "--purpose", "service",
                "--name", duplicate[1], "--json")  # fmt: skip
    shown = [m["display_name"] for m in json.loads(found.stdout)["items"]]
    assert {duplicate[1], duplicate[2]} <= set(shown), shown


def test_a_later_start_says_again_what_the_demo_holds(run, monkeypatch) -> None:
    served = _not_served(monkeypatch)
    first = run("demo", "--customers", "5")
    again = run("demo")
    assert again.exit_code == 0, again.output
    assert len(served) == 2
    assert "Loaded when set up: 5 synthetic customers" in " ".join(again.stdout.split())
    summary = [line for line in first.stdout.splitlines() if line.startswith("  ")]
    assert summary == [line for line in again.stdout.splitlines() if line.startswith("  ")]


def test_a_different_customer_count_on_an_existing_demo_is_refused_plainly(
    run, cli_env, monkeypatch
) -> None:
    served = _not_served(monkeypatch)
    assert run("demo", "--customers", "5").exit_code == 0
    result = run("demo", "--customers", "50")
    assert result.exit_code == 2
    assert len(served) == 1
    message = " ".join(result.stderr.split())
    assert f"the demo in {cli_env} already holds the 5 synthetic customers it was set up with" in (
        message
    )
    assert "--customers 50 applies only when a demo is set up" in message
    assert "Run `clientkeep demo` without --customers to use this one" in message
    assert f"remove {cli_env}" in message
    assert "`clientkeep demo --customers 50` to start afresh" in message
    c = container()
    with c.uow() as uow:
        assert len(uow.customers.stale_candidates({"email": c.clock.now()}, limit=100)) == 5
    c.close()


def test_the_same_customer_count_again_just_starts_the_demo(run, monkeypatch) -> None:
    served = _not_served(monkeypatch)
    assert run("demo", "--customers", "5").exit_code == 0
    assert run("demo", "--customers", "5").exit_code == 0
    assert len(served) == 2


def test_a_demo_set_up_before_its_load_was_noted_refuses_a_count_too(
    run, cli_env, monkeypatch
) -> None:
    served = _not_served(monkeypatch)
    assert run("demo", "--customers", "5").exit_code == 0
    (cli_env / "demo-loaded.json").unlink()
    result = run("demo", "--customers", "5")
    assert result.exit_code == 2
    assert f"the demo in {cli_env} is already set up" in " ".join(result.stderr.split())
    started = run("demo")
    assert started.exit_code == 0, started.output
    assert "Loaded when set up" not in started.stdout
    assert len(served) == 2


def test_what_the_demo_loaded_is_kept_private_to_its_owner(run, cli_env, monkeypatch) -> None:
    _not_served(monkeypatch)
    assert run("demo", "--customers", "5").exit_code == 0
    kept = cli_env / "demo-loaded.json"
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert json.loads(kept.read_text())["customers"] == 5
