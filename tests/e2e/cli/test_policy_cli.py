"""`clientkeep policy check FILE` and `clientkeep policy show`, run in-process."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from clientkeep.adapters.cli.policy import app
from clientkeep.policy.loader import default_policy_path

DEFAULT_TEXT = default_policy_path().read_text(encoding="utf-8")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("CLIENTKEEP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("CLIENTKEEP_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


def test_check_says_a_valid_policy_is_valid(runner, tmp_path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(DEFAULT_TEXT)
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (f"{path}: policy is valid (17 fields, 5 purposes, 4 roles)")


def test_check_lists_every_problem_with_file_and_location(runner, tmp_path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text(
        DEFAULT_TEXT.replace("min_matches = 2", "min_matches = 0").replace(
            'lawful_basis = "contract"', 'lawful_basis = "contact"'
        )
    )
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert (
        f"{path}:purposes.service.lawful_basis: unknown lawful basis 'contact'; expected "
        "one of: consent, contract, legal_obligation, vital_interests, public_task, "
        "legitimate_interests" in lines
    )
    assert f"{path}:verification.knowledge.min_matches: must be at least 1, not 0" in lines
    assert "Traceback" not in result.output


def test_check_gives_the_line_of_a_syntax_error(runner, tmp_path) -> None:
    path = tmp_path / "policy.toml"
    path.write_text('version = "1"\ncontroller = {\n')
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{path}:line 2, column")


def test_check_of_a_missing_file_is_one_line_not_a_traceback(runner, tmp_path) -> None:
    path = tmp_path / "absent.toml"
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{path}: cannot read the policy: No such file or directory"
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_show_prints_the_default_policy_as_tables(runner, clean_env) -> None:
    result = runner.invoke(app, ["show"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Example Trading Ltd" in result.stdout
    for heading in ("Fields", "Purposes", "Roles"):
        assert heading in result.stdout
    assert "accessibility_needs" in result.stdout
    assert "legitimate_interests" in result.stdout


def test_show_json_is_the_whole_policy_in_force(runner, clean_env, tmp_path) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(DEFAULT_TEXT.replace('"Example Trading Ltd"', '"Acme Widgets Ltd"'))
    clean_env.setenv("CLIENTKEEP_POLICY", str(path))
    result = runner.invoke(app, ["show", "--json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["controller"]["name"] == "Acme Widgets Ltd"
    assert document["purposes"]["marketing"]["lawful_basis"] == "consent"
    assert document["roles"]["admin"]["sees_customer_data"] is False
    assert document["fields"]["accessibility_needs"]["purposes"] == ["service"]
    assert document["staff"]["min_password_length"] == 12


def test_show_with_a_bad_setting_exits_2_with_one_line(runner, clean_env) -> None:
    clean_env.setenv("CLIENTKEEP_LOG_LEVEL", "LOUD")
    result = runner.invoke(app, ["show"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: CLIENTKEEP_LOG_LEVEL")
    assert len(result.stderr.strip().splitlines()) == 1


def test_show_with_an_invalid_policy_in_force_lists_its_problems(
    runner, clean_env, tmp_path
) -> None:
    path = tmp_path / "ours.toml"
    path.write_text(DEFAULT_TEXT.replace("min_matches = 2", "min_matches = 0"))
    clean_env.setenv("CLIENTKEEP_POLICY", str(path))
    result = runner.invoke(app, ["show"])
    assert result.exit_code == 1
    assert f"{path}:verification.knowledge.min_matches" in result.stderr


def test_no_command_prints_help(runner) -> None:
    result = runner.invoke(app, [])
    assert "check" in result.output and "show" in result.output
