"""Settings come from the environment, typed, with bad values refused by name."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from clientkeep.config import ConfigError, load_settings

KEY = base64.b64encode(b"k" * 32).decode()


def test_defaults_put_everything_in_the_data_directory(tmp_path: Path) -> None:
    s = load_settings({"CLIENTKEEP_DATA_DIR": str(tmp_path)})
    assert s.data_dir == tmp_path.resolve()
    assert s.database_url == f"sqlite:///{tmp_path.resolve() / 'clientkeep.db'}"
    assert s.keystore_url == f"sqlite:///{tmp_path.resolve() / 'keystore.db'}"
    assert s.master_key is None and s.policy_path is None
    assert s.master_key_file == tmp_path.resolve() / "master.key"
    assert s.insecure_cookies is False


def test_failed_authentication_and_request_bodies_have_sensible_limits_by_default() -> None:
    s = load_settings({})
    assert s.auth_failures_per_minute == 10
    assert s.max_body_bytes == 1024 * 1024


def test_the_limits_can_be_set() -> None:
    s = load_settings(
        {"CLIENTKEEP_AUTH_FAILURES_PER_MINUTE": " 30 ", "CLIENTKEEP_MAX_BODY_BYTES": "65536"}
    )
    assert (s.auth_failures_per_minute, s.max_body_bytes) == (30, 65536)


def test_postgresql_urls_use_psycopg_3() -> None:
    s = load_settings({"CLIENTKEEP_DATABASE_URL": "postgresql://u@h/db"})
    assert s.database_url == "postgresql+psycopg://u@h/db"
    assert not s.is_sqlite


def test_a_master_key_from_the_environment_is_accepted(tmp_path: Path) -> None:
    assert load_settings({"CLIENTKEEP_MASTER_KEY": KEY}).master_key == KEY


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"CLIENTKEEP_DATABASE_URL": "mysql://x"}, "CLIENTKEEP_DATABASE_URL"),
        ({"CLIENTKEEP_KEYSTORE_URL": "redis://x"}, "CLIENTKEEP_KEYSTORE_URL"),
        (
            {
                "CLIENTKEEP_DATABASE_URL": "sqlite:///same.db",
                "CLIENTKEEP_KEYSTORE_URL": "sqlite:///same.db",
            },
            "CLIENTKEEP_KEYSTORE_URL",
        ),
        ({"CLIENTKEEP_MASTER_KEY": "short"}, "CLIENTKEEP_MASTER_KEY"),
        ({"CLIENTKEEP_POLICY": "/nowhere/policy.toml"}, "CLIENTKEEP_POLICY"),
        ({"CLIENTKEEP_LOG_LEVEL": "CHATTY"}, "CLIENTKEEP_LOG_LEVEL"),
        ({"CLIENTKEEP_INSECURE_COOKIES": "maybe"}, "CLIENTKEEP_INSECURE_COOKIES"),
        ({"CLIENTKEEP_AUTH_FAILURES_PER_MINUTE": "0"}, "CLIENTKEEP_AUTH_FAILURES_PER_MINUTE"),
        ({"CLIENTKEEP_AUTH_FAILURES_PER_MINUTE": "-3"}, "CLIENTKEEP_AUTH_FAILURES_PER_MINUTE"),
        ({"CLIENTKEEP_AUTH_FAILURES_PER_MINUTE": "ten"}, "CLIENTKEEP_AUTH_FAILURES_PER_MINUTE"),
        ({"CLIENTKEEP_AUTH_FAILURES_PER_MINUTE": "1e9"}, "CLIENTKEEP_AUTH_FAILURES_PER_MINUTE"),
        ({"CLIENTKEEP_MAX_BODY_BYTES": "1MB"}, "CLIENTKEEP_MAX_BODY_BYTES"),
        ({"CLIENTKEEP_MAX_BODY_BYTES": "12"}, "CLIENTKEEP_MAX_BODY_BYTES"),
        ({"CLIENTKEEP_MAX_BODY_BYTES": "2.5"}, "CLIENTKEEP_MAX_BODY_BYTES"),
        ({"CLIENTKEEP_MAX_BODY_BYTES": "99999999999999"}, "CLIENTKEEP_MAX_BODY_BYTES"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    assert variable in str(caught.value)


def test_a_bad_master_key_is_not_echoed() -> None:
    secret = "c2VjcmV0LWJ1dC10b28tc2hvcnQ="
    with pytest.raises(ConfigError) as caught:
        load_settings({"CLIENTKEEP_MASTER_KEY": secret})
    assert secret not in str(caught.value)


def test_blank_values_count_as_unset(tmp_path: Path) -> None:
    s = load_settings({"CLIENTKEEP_DATA_DIR": str(tmp_path), "CLIENTKEEP_POLICY": "  "})
    assert s.policy_path is None
