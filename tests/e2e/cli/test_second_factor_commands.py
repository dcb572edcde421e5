"""`user second-factor-status` and `user reset-second-factor`: the status as JSON, a reset
confirmed (or refused without a terminal), audited as the operating-system user who ran it."""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys

import pyotp
import pytest
from sqlalchemy import select

from clientkeep import bootstrap
from clientkeep.adapters.db.tables import audit_event
from clientkeep.config import load_settings
from clientkeep.shared.actor import Actor
from clientkeep.staff import second_factor

PASSWORD = "a sound long password"
CLI_USER = f"cli:{pwd.getpwuid(os.geteuid()).pw_name}"


@pytest.fixture
def user(run):
    def invoke(*args: str, input: str | None = None):
        return run("user", *args, input=input)

    return invoke


@pytest.fixture
def ann(initialised, run) -> str:
    result = run("user", "add", "ann", "--role", "agent", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    return "ann"


def _enrol(username: str) -> None:
    c = bootstrap.build(load_settings())
    try:
        with c.uow() as uow:
            member = uow.staff.by_username(username)
        actor = Actor(id=member.id, name=member.username, role=member.role, credential="test")
        common = {"actor": actor, "clock": c.clock, "sealer": c.second_factor_sealer}
        second_factor.begin_enrolment(uow=c.uow(), **common)
        shown = second_factor.pending_enrolment(
            uow=c.uow(), actor=actor, sealer=c.second_factor_sealer
        )
        second_factor.confirm_enrolment(
            pyotp.TOTP(shown.secret).now(), uow=c.uow(), policy=c.policy, **common
        )
    finally:
        c.close()


def _events(action: str) -> list[dict]:
    c = bootstrap.build(load_settings())
    try:
        with c.engine.connect() as conn:
            query = select(audit_event).where(audit_event.c.action == action)
            rows = conn.execute(query.order_by(audit_event.c.seq)).all()
    finally:
        c.close()
    return [{"actor_id": r.actor_id, "detail": json.loads(r.detail)} for r in rows]


def test_the_status_shows_off_then_on_with_recovery_codes(ann, user) -> None:
    result = user("second-factor-status", ann, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {
        "username": "ann",
        "enabled": False,
        "enrolling": False,
        "required_by_policy": False,
        "recovery_codes_left": 0,
        "enabled_at": None,
    }
    _enrol(ann)
    shown = json.loads(user("second-factor-status", ann, "--json").output)
    assert shown["enabled"] is True and shown["recovery_codes_left"] == 8
    assert shown["enabled_at"] is not None
    plain = user("second-factor-status", ann)
    assert plain.exit_code == 0
    assert "ann: second factor on, 8 recovery codes left" in plain.output


def test_a_reset_is_confirmed_audited_and_turns_it_off(ann, user) -> None:
    _enrol(ann)
    result = user("reset-second-factor", ann, "--yes", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["enabled"] is False
    (event,) = _events("staff.second_factor_reset")
    assert event["actor_id"] == CLI_USER and event["detail"]["was_on"] is True
    again = user("reset-second-factor", ann, "--yes")
    assert again.exit_code == 0 and "nothing changed" in again.output
    assert len(_events("staff.second_factor_reset")) == 1


def test_a_reset_without_yes_and_without_a_terminal_changes_nothing(ann, user) -> None:
    _enrol(ann)
    result = user("reset-second-factor", ann)
    assert result.exit_code == 2
    assert "--yes" in result.output
    assert json.loads(user("second-factor-status", ann, "--json").output)["enabled"] is True
    assert _events("staff.second_factor_reset") == []


def test_an_unknown_member_is_one_line_and_a_non_zero_exit(initialised, user) -> None:
    result = user("second-factor-status", "nobody", "--json")
    assert result.exit_code == 4
    assert "No staff member has that username." in result.output
    assert "Traceback" not in result.output


def test_the_commands_load_neither_the_domain_nor_the_database_at_start_up() -> None:
    probe = (
        "import sys, clientkeep.adapters.cli.staff_second_factor; "
        "heavy = ('sqlalchemy', 'pyotp', 'clientkeep.staff', 'clientkeep.bootstrap'); "
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "[]"
