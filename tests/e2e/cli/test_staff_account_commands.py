"""`clientkeep user reset-password`, `unlock`, `disable`, `enable` and `set-role`: each audited
as the operating-system user who ran it, with --json as `user list` prints an account."""

from __future__ import annotations

import json
import os
import pwd
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from clientkeep import bootstrap
from clientkeep.adapters.db.tables import audit_event
from clientkeep.config import load_settings

PASSWORD = "a sound long password"
TEMPORARY = "a temporary passphrase"
CLI_USER = f"cli:{pwd.getpwuid(os.geteuid()).pw_name}"


def events(action: str) -> list[SimpleNamespace]:
    """The trail's rows for one action, read from the table (its columns are the record)."""
    c = bootstrap.build(load_settings())
    try:
        with c.engine.connect() as conn:
            query = select(audit_event).where(audit_event.c.action == action)
            rows = conn.execute(query.order_by(audit_event.c.seq)).all()
    finally:
        c.close()
    return [SimpleNamespace(actor_id=r.actor_id, detail=json.loads(r.detail)) for r in rows]


def token_for(run, password: str):
    return run("token", "create", "ann", "--password-stdin", input=password + "\n")


@pytest.fixture
def ann(initialised, run) -> dict:
    result = run("user", "add", "ann", "--role", "agent", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return next(
        r for r in json.loads(run("user", "list", "--json").output) if r["username"] == "ann"
    )


def test_reset_password_sets_a_temporary_one_to_replace(ann, run) -> None:
    result = run(
        "user", "reset-password", "ann", "--password-stdin", "--json", input=TEMPORARY + "\n"
    )
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["id"] == ann["id"] and shown["must_change_password"] is True
    assert set(shown) == set(ann)
    assert TEMPORARY not in result.output
    assert token_for(run, PASSWORD).exit_code == 1  # the old password no longer works
    (event,) = events("staff.password_reset")
    assert event.actor_id == CLI_USER and event.detail == {"staff_id": ann["id"]}


def test_a_weak_temporary_password_fails_in_one_line(ann, run) -> None:
    result = run("user", "reset-password", "ann", "--password-stdin", input="short\n")
    assert result.exit_code == 2
    assert (
        result.output.strip().startswith("error: password:") and "\n" not in result.output.strip()
    )
    assert events("staff.password_reset") == []


def test_unlock_lifts_the_lock_of_failed_sign_ins(ann, run) -> None:
    for _ in range(5):
        assert token_for(run, "not the password at all").exit_code == 1
    assert token_for(run, PASSWORD).exit_code == 1  # locked
    listed = json.loads(run("user", "list", "--json").output)
    assert next(r for r in listed if r["username"] == "ann")["status"] == "locked"
    unlocked = run("user", "unlock", "ann", "--json")
    assert unlocked.exit_code == 0 and json.loads(unlocked.output)["status"] == "active"
    assert token_for(run, PASSWORD).exit_code == 0
    (event,) = events("staff.unlocked")
    assert event.actor_id == CLI_USER and event.detail["staff_id"] == ann["id"]


def test_disable_then_enable(ann, run) -> None:
    disabled = run("user", "disable", "ann", "--json")
    assert disabled.exit_code == 0 and json.loads(disabled.output)["status"] == "disabled"
    assert token_for(run, PASSWORD).exit_code == 1
    enabled = run("user", "enable", "ann")
    assert enabled.exit_code == 0 and "enabled ann (agent)" in enabled.output
    assert token_for(run, PASSWORD).exit_code == 0
    (event,) = events("staff.enabled")
    assert event.actor_id == CLI_USER and event.detail == {"staff_id": ann["id"]}


def test_set_role_records_the_old_and_the_new(ann, run) -> None:
    result = run("user", "set-role", "ann", "--role", "supervisor", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["role"] == "supervisor"
    (event,) = events("staff.role_changed")
    assert event.actor_id == CLI_USER
    assert event.detail == {"staff_id": ann["id"], "old_role": "agent", "new_role": "supervisor"}


@pytest.mark.parametrize("role", ["wizard", "system"])
def test_set_role_to_a_role_the_policy_lacks_fails_naming_the_field(ann, run, role) -> None:
    result = run("user", "set-role", "ann", "--role", role)
    assert result.exit_code == 2 and "role:" in result.output
    assert events("staff.role_changed") == []


def test_the_last_admin_keeps_their_role(initialised, run) -> None:
    result = run("user", "set-role", "admin", "--role", "agent")
    assert result.exit_code == 2 and "last active account" in result.output


@pytest.mark.parametrize("command", ["unlock", "enable", "disable"])
def test_an_unknown_user_fails_with_not_found(initialised, run, command) -> None:
    result = run("user", command, "nobody")
    assert result.exit_code == 4 and "Traceback" not in result.output
