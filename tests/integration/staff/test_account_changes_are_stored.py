"""Account care on real storage: a reset's flag, a role change, re-enabling, and a token held
on its session until shown, each kept by the database as the use case left it."""

from __future__ import annotations

from sqlalchemy import inspect

from clientkeep.adapters.db import migrate
from clientkeep.shared.actor import Actor
from clientkeep.staff import accounts, authentication
from clientkeep.staff import services as staff_services
from tests.conftest import PASSWORD

TEMPORARY = "a temporary passphrase"
OPERATOR = Actor(id="cli:root", name="root", role="system", credential="cli:root")


def deps(container) -> dict:
    return {"uow": container.uow(), "policy": container.policy, "clock": container.clock}


def test_a_reset_is_stored_and_sign_in_reports_the_change_due(container, personas) -> None:
    accounts.reset_password(
        personas.agent.username,
        TEMPORARY,
        actor=OPERATOR,
        hasher=container.hasher,
        **deps(container),
    )
    signed_in = authentication.sign_in(
        personas.agent.username, TEMPORARY, hasher=container.hasher, **deps(container)
    )
    assert signed_in.must_change_password
    found = authentication.session_actor(
        signed_in.session.id, uow=container.uow(), clock=container.clock
    )
    assert found is not None and found.must_change_password
    accounts.change_own_password(
        accounts.ChangePassword(current_password=TEMPORARY, new_password="mine and mine alone"),
        actor=signed_in.actor,
        hasher=container.hasher,
        **deps(container),
    )
    with container.uow() as uow:
        assert not uow.staff.get(personas.agent.actor.id).must_change_password


def test_role_changes_and_re_enabling_are_stored(container, personas) -> None:
    accounts.set_role(personas.agent.username, "supervisor", actor=OPERATOR, **deps(container))
    staff_services.disable_staff(personas.agent.username, actor=OPERATOR, **deps(container))
    accounts.enable_staff(personas.agent.username, actor=OPERATOR, **deps(container))
    with container.uow() as uow:
        member = uow.staff.get(personas.agent.actor.id)
    assert (member.role, member.active) == ("supervisor", True)
    authentication.sign_in(
        personas.agent.username, PASSWORD, hasher=container.hasher, **deps(container)
    )


def test_a_new_token_is_held_on_its_session_and_taken_once(container, personas) -> None:
    signed_in = authentication.sign_in(
        personas.agent.username, PASSWORD, hasher=container.hasher, **deps(container)
    )
    new = staff_services.create_token(
        "crm",
        uow=container.uow(),
        actor=signed_in.actor,
        clock=container.clock,
        hold_for_session=signed_in.session.id,
    )
    with container.uow() as uow:
        session = uow.sessions.get(signed_in.session.id)
    assert session.pending_token == new.secret
    assert staff_services.take_new_token(session, uow=container.uow()) == new.secret
    assert staff_services.take_new_token(session, uow=container.uow()) is None
    with container.uow() as uow:
        assert uow.sessions.get(signed_in.session.id).pending_token is None


def test_the_administrator_lists_everyones_tokens(container, personas) -> None:
    made = []
    for persona in (personas.agent, personas.supervisor):
        holder = authentication.authenticate(
            persona.username,
            PASSWORD,
            credential="test",
            hasher=container.hasher,
            **deps(container),
        )
        made.append(
            staff_services.create_token(
                "crm", uow=container.uow(), actor=holder, clock=container.clock
            ).token.id
        )
    listed = staff_services.list_all_tokens(
        uow=container.uow(), actor=personas.admin.actor, policy=container.policy
    )
    assert sorted(t.id for t in listed) == sorted(made)


def test_the_migration_adds_both_columns(container) -> None:
    inspector = inspect(container.engine)
    staff_columns = {c["name"]: c for c in inspector.get_columns("staff_user")}
    assert staff_columns["must_change_password"]["nullable"] is False
    assert "pending_token" in {c["name"] for c in inspector.get_columns("web_session")}


def test_the_migration_undoes_and_redoes_with_existing_staff_not_forced(container, personas):
    migrate.downgrade(container.engine, "0005")
    columns = {c["name"] for c in inspect(container.engine).get_columns("staff_user")}
    assert "must_change_password" not in columns
    migrate.upgrade(container.engine)
    with container.uow() as uow:
        assert not any(m.must_change_password for m in uow.staff.list())
