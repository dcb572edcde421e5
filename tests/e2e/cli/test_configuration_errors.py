"""A bad setting stops the command with a message naming the variable."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("CLIENTKEEP_DATABASE_URL", "mysql://nope", "CLIENTKEEP_DATABASE_URL"),
        ("CLIENTKEEP_MASTER_KEY", "not-base64!!", "CLIENTKEEP_MASTER_KEY"),
        ("CLIENTKEEP_POLICY", "/no/such/policy.toml", "CLIENTKEEP_POLICY"),
        ("CLIENTKEEP_LOG_LEVEL", "LOUD", "CLIENTKEEP_LOG_LEVEL"),
        ("CLIENTKEEP_AUTH_FAILURES_PER_MINUTE", "none", "CLIENTKEEP_AUTH_FAILURES_PER_MINUTE"),
        ("CLIENTKEEP_MAX_BODY_BYTES", "-1", "CLIENTKEEP_MAX_BODY_BYTES"),
    ],
)
def test_a_bad_setting_names_its_variable(run, monkeypatch, name, value, expected) -> None:
    monkeypatch.setenv(name, value)
    result = run("user", "list")
    assert result.exit_code == 1
    assert expected in result.output
    assert "Traceback" not in result.output
    assert value not in result.output or name != "CLIENTKEEP_MASTER_KEY"
