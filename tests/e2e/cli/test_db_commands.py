"""`clientkeep db upgrade|status` and `version`."""

from __future__ import annotations

from clientkeep import __version__
from clientkeep.adapters.db import migrate


def test_db_status_before_and_after_upgrade(run) -> None:
    before = run("db", "status")
    assert before.exit_code == 0
    assert "needs `clientkeep db upgrade`" in before.output
    upgraded = run("db", "upgrade")
    assert upgraded.exit_code == 0, upgraded.output
    assert f"database at revision {migrate.head_revision()}" in upgraded.output
    assert "up to date" in run("db", "status").output


def test_db_upgrade_on_an_initialised_database_changes_nothing(initialised, run) -> None:
    assert run("db", "upgrade").exit_code == 0
    assert run("audit", "verify").exit_code == 0


def test_version_prints_the_package_version(run) -> None:
    assert run("version").output.strip() == __version__


def test_reindex_walks_every_customer_and_says_how_many(initialised, run) -> None:
    added = run("user", "add", "sam", "--role", "supervisor", "--password-stdin",
                input="a sound long password\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    for given in ("Ada", "Grace"):
        result = run("customer", "add", "--as", "sam", "--purpose", "service", "--source",
                     "phone", "--field", f"given_name={given}", "--field", "family_name=Test",
                     "--field", f"email={given}@example.com")  # fmt: skip
        assert result.exit_code == 0, result.output
    result = run("db", "reindex", "--batch", "1")
    assert result.exit_code == 0, result.output
    assert "reindexed 2 customers" in result.output
    bad = run("db", "reindex", "--batch", "0")
    assert bad.exit_code == 2 and "batch" in bad.output
