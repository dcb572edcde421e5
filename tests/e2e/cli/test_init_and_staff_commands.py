"""`clientkeep init`, `user ...` and `token ...` as an administrator would use them."""

from __future__ import annotations

import json
import stat

from tests.e2e.cli.conftest import ADMIN_PASSWORD

PASSWORD = "a sound long password"


def test_init_makes_a_private_data_directory_with_a_0600_key_file(initialised, cli_env) -> None:
    assert "first administrator: admin" in initialised.output
    assert stat.S_IMODE(cli_env.stat().st_mode) == 0o700
    assert stat.S_IMODE((cli_env / "master.key").stat().st_mode) == 0o600


def test_init_twice_refuses_and_keeps_the_first_admin(initialised, run) -> None:
    result = run("init", "--admin-password-stdin", input=ADMIN_PASSWORD + "\n")
    assert result.exit_code != 0
    assert "already has staff accounts" in result.output
    assert [u["username"] for u in json.loads(run("user", "list", "--json").output)] == ["admin"]


def test_init_with_a_weak_password_says_why_in_one_line(run) -> None:
    result = run("init", "--admin-password-stdin", input="short\n")
    assert result.exit_code == 2
    assert "password" in result.output and "Traceback" not in result.output


def test_user_add_list_and_disable(initialised, run) -> None:
    added = run(
        "user", "add", "alice", "--role", "agent", "--password-stdin", input=PASSWORD + "\n"
    )
    assert added.exit_code == 0, added.output
    rows = json.loads(run("user", "list", "--json").output)
    assert {(r["username"], r["role"], r["status"]) for r in rows} >= {("alice", "agent", "active")}
    assert run("user", "disable", "alice").exit_code == 0
    rows = json.loads(run("user", "list", "--json").output)
    assert next(r for r in rows if r["username"] == "alice")["status"] == "disabled"


def test_user_add_with_an_unknown_role_fails_naming_the_field(initialised, run) -> None:
    result = run(
        "user", "add", "bob", "--role", "wizard", "--password-stdin", input=PASSWORD + "\n"
    )
    assert result.exit_code == 2
    assert "role:" in result.output


def test_user_add_without_a_terminal_or_stdin_flag_fails_cleanly(initialised, run) -> None:
    result = run("user", "add", "bob", "--role", "agent")
    assert result.exit_code == 2
    assert "--password-stdin" in result.output


def test_token_create_prints_only_the_token_and_revoke_works(initialised, run) -> None:
    run("user", "add", "alice", "--role", "agent", "--password-stdin", input=PASSWORD + "\n")
    created = run(
        "token", "create", "alice", "--label", "crm", "--password-stdin", input=PASSWORD + "\n"
    )
    assert created.exit_code == 0, created.output
    token = created.stdout.strip()
    assert token.startswith("ck_") and "\n" not in token
    listed = json.loads(run("token", "list", "alice", "--json").output)
    assert len(listed) == 1 and token not in json.dumps(listed)
    assert run("token", "revoke", listed[0]["id"]).exit_code == 0
    again = run("token", "revoke", listed[0]["id"])
    assert again.exit_code == 4


def test_token_for_an_unknown_user_fails(initialised, run) -> None:
    result = run("token", "create", "nobody", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 1
    assert "not right" in result.output


def test_a_token_is_made_only_by_its_holder_who_gives_their_password(initialised, run) -> None:
    run("user", "add", "alice", "--role", "agent", "--password-stdin", input=PASSWORD + "\n")
    wrong = run("token", "create", "alice", "--password-stdin", input="not alice's password\n")
    assert wrong.exit_code == 1
    assert "ck_" not in wrong.output
    assert json.loads(run("token", "list", "alice", "--json").output) == []
