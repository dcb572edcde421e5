"""Run the real `clientkeep` command in-process, configured through the environment."""

from __future__ import annotations

import base64
import secrets

import pytest
from typer.testing import CliRunner

from clientkeep.adapters.cli.main import app

ADMIN_PASSWORD = "the first operator passphrase"


@pytest.fixture
def cli_env(monkeypatch, tmp_path, database_urls):
    main, keystore = database_urls
    for name in ("MASTER_KEY", "POLICY", "DATABASE_URL", "KEYSTORE_URL", "DATA_DIR"):
        monkeypatch.delenv(f"CLIENTKEEP_{name}", raising=False)
    monkeypatch.setenv("CLIENTKEEP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("CLIENTKEEP_DATABASE_URL", main)
    monkeypatch.setenv("CLIENTKEEP_KEYSTORE_URL", keystore)
    return tmp_path / "data"


@pytest.fixture
def run(cli_env):
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return invoke


@pytest.fixture
def initialised(run):
    result = run("init", "--admin-password-stdin", input=ADMIN_PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return result


def random_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()
