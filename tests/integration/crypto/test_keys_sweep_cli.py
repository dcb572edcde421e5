"""`clientkeep keys status` shows pending destructions and orphaned keys; `keys sweep`
destroys them and says how many."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from typer.testing import CliRunner

from clientkeep.adapters.cli.keys import app
from clientkeep.adapters.crypto.keystore import KeyStore
from clientkeep.shared.ids import new_id

from ._records import add_customer, key_store_down, merge

runner = CliRunner()


@pytest.fixture
def env(container, settings, monkeypatch):
    """The CLI's environment, pointing at the container's installation."""
    for name in ("POLICY", "DATA_DIR", "DATABASE_URL", "KEYSTORE_URL", "MASTER_KEY"):
        monkeypatch.delenv(f"CLIENTKEEP_{name}", raising=False)
    monkeypatch.setenv("CLIENTKEEP_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("CLIENTKEEP_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CLIENTKEEP_KEYSTORE_URL", settings.keystore_url)
    monkeypatch.setenv("CLIENTKEEP_MASTER_KEY", settings.master_key)
    return container


def orphan_made_hours_ago(container) -> str:
    old = KeyStore(
        container.keystore.engine,
        container.keystore.ring,
        now=lambda: datetime.now(UTC) - timedelta(hours=2),
    )
    customer_id = new_id("cus")
    old.create_data_key(customer_id)
    return customer_id


@pytest.fixture
def untidy(env, tmp_path):
    """One merge whose key destruction failed, one orphaned key, one live customer."""
    survivor, duplicate = add_customer(env), add_customer(env)
    with key_store_down(env, tmp_path):
        merge(env, duplicate, survivor)
    return survivor, duplicate, orphan_made_hours_ago(env)


def status() -> dict:
    result = runner.invoke(app, ["status", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_status_shows_pending_destructions_and_orphaned_keys(untidy) -> None:
    state = status()
    assert (state["pending_destructions"], state["orphaned_keys"]) == (1, 1)
    assert state["upkeep_problem"] is None
    text = runner.invoke(app, ["status"]).stdout
    assert "pending key destructions: 1 (oldest requested" in text
    assert "orphaned data keys (older than 60 minutes): 1" in text
    assert "clientkeep keys sweep" in text


def test_status_of_a_tidy_installation_says_there_is_nothing_to_sweep(env) -> None:
    result = runner.invoke(app, ["status"])
    assert result.exit_code == 0, result.output
    assert "pending key destructions: 0\n" in result.stdout
    assert "keys sweep" not in result.stdout


def test_sweep_destroys_both_prints_counts_and_a_second_sweep_finds_nothing(env, untidy) -> None:
    survivor, duplicate, orphan = untidy
    result = runner.invoke(app, ["sweep"])
    assert result.exit_code == 0, result.output
    assert "carried out 1 pending key destructions; 0 still pending" in result.stdout
    assert "destroyed 1 orphaned data keys" in result.stdout
    assert env.keystore.is_destroyed(duplicate) and env.keystore.is_destroyed(orphan)
    assert env.keystore.versions(survivor) == [1]
    again = runner.invoke(app, ["sweep", "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == {
        "destroyed": 0,
        "still_pending": 0,
        "orphans_removed": 0,
        "orphans_left": 0,
        "refused": None,
    }
    state = status()
    assert (state["pending_destructions"], state["orphaned_keys"]) == (0, 0)


def test_a_longer_grace_period_spares_younger_keys(untidy) -> None:
    result = runner.invoke(app, ["sweep", "--json", "--grace-minutes", "180"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["orphans_removed"] == 0
    too_short = runner.invoke(app, ["sweep", "--grace-minutes", "1"])
    assert too_short.exit_code == 2


def test_status_without_a_main_database_still_shows_the_key_store(env, settings) -> None:
    if not settings.is_sqlite:
        pytest.skip("a missing database file is a SQLite case")
    env.engine.dispose()
    (settings.data_dir / "clientkeep.db").rename(settings.data_dir / "elsewhere.db")
    state = status()
    assert state["pending_destructions"] is None and state["orphaned_keys"] is None
    assert "run `clientkeep init`" in state["upkeep_problem"]
    result = runner.invoke(app, ["sweep"])
    assert result.exit_code == 1
    assert "no clientkeep database" in result.stderr
    assert not (settings.data_dir / "clientkeep.db").exists()  # and none was made


def test_a_destruction_that_fails_again_stays_pending_and_the_sweep_exits_1(env) -> None:
    customer = add_customer(env)
    with env.uow() as uow:
        # A bug's request: the only version, which the key store refuses to destroy alone.
        uow.key_outbox.destroy_after_commit(customer, version=1, reason="erased")
        uow.commit()
    result = runner.invoke(app, ["sweep"])
    assert result.exit_code == 1
    assert "0 pending key destructions; 1 still pending" in result.stdout
    assert "1 key destructions failed again and are still pending" in result.stderr
    assert status()["pending_destructions"] == 1
    assert env.keystore.versions(customer) == [1]
