"""Every event a CLI command makes names the operating-system account that ran it, also when
the command acts as a member of staff with --as."""

from __future__ import annotations

import os
import pwd
from types import SimpleNamespace

import pytest

from clientkeep import bootstrap
from clientkeep.adapters.cli import _common
from clientkeep.config import load_settings

PASSWORD = "a sound long password"
ME = pwd.getpwuid(os.geteuid()).pw_name


def events(action: str):
    c = bootstrap.build(load_settings())
    try:
        with c.uow().reading() as uow:
            return [e.entry for e in uow.audit.page(limit=500, action=action)]
    finally:
        c.close()


@pytest.fixture
def ann(initialised, run) -> None:
    result = run("user", "add", "ann", "--role", "agent", "--password-stdin", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output


def add_customer(run):
    return run(
        "customer",
        "add",
        "--as",
        "ann",
        "--purpose",
        "service",
        "--source",
        "phone",
        "--field",
        "given_name=Ada",
        "--field",
        "family_name=Lovelace",
        "--field",
        "email=ada@example.com",
    )


def test_a_customer_command_acting_as_staff_records_who_ran_it(ann, run) -> None:
    assert add_customer(run).exit_code == 0
    [created] = events("customer.created")
    ann_id = events("staff.created")[-1].detail["staff_id"]
    assert (created.actor_id, created.actor_role) == (ann_id, "agent")
    assert created.credential == f"cli:{ME}"


def test_set_up_commands_record_who_ran_them(ann) -> None:
    [made] = events("staff.created")[-1:]
    assert (made.actor_id, made.credential) == (f"cli:{ME}", f"cli:{ME}")


def test_making_a_token_records_who_ran_it(ann, run) -> None:
    made = run("token", "create", "ann", "--password-stdin", input=PASSWORD + "\n")
    assert made.exit_code == 0, made.output
    assert events("staff.sign_in")[-1].credential == f"cli:{ME}"
    assert events("token.created")[-1].credential == f"cli:{ME}"


def test_the_account_is_the_processs_own_not_what_the_environment_claims(monkeypatch) -> None:
    for name in ("USER", "LOGNAME", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "someone.else")
    assert _common.cli_credential() == f"cli:{ME}"


def test_a_long_or_odd_account_name_is_cut_to_fit_the_trail(ann, run, monkeypatch) -> None:
    odd = "a very\tlong\nname " + "x" * 100
    monkeypatch.setattr(_common.pwd, "getpwuid", lambda uid: SimpleNamespace(pw_name=odd))
    credential = _common.cli_credential()
    assert len(credential) == 64 and credential.startswith("cli:a?very?long?name?x")
    assert add_customer(run).exit_code == 0  # PostgreSQL would refuse a longer value
    assert events("customer.created")[-1].credential == credential


def test_init_records_the_account_that_made_the_first_administrator(initialised) -> None:
    [first] = events("staff.created")
    assert (first.actor_role, first.credential) == ("system", f"cli:{ME}")
