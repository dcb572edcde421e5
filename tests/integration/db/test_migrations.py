"""Migrations build the schema on each backend, and running them again changes nothing."""

from __future__ import annotations

from sqlalchemy import inspect

from clientkeep import bootstrap
from clientkeep.adapters.db import migrate


def test_init_brings_the_database_to_the_newest_revision(container) -> None:
    assert migrate.current_revision(container.engine) == migrate.head_revision()
    tables = set(inspect(container.engine).get_table_names())
    assert {"staff_user", "api_token", "web_session", "audit_event", "audit_chain"} <= tables


def test_upgrading_twice_is_harmless(container) -> None:
    bootstrap.upgrade_database(container)
    bootstrap.upgrade_database(container)
    assert migrate.current_revision(container.engine) == migrate.head_revision()


def test_a_second_init_is_refused_and_changes_nothing(container) -> None:
    import pytest

    with pytest.raises(bootstrap.AlreadyInitialised):
        bootstrap.initialise(container, admin_username="other", admin_password="x" * 20)
    with container.uow() as uow:
        assert [m.username for m in uow.staff.list()] == ["root.admin"]


def test_serving_needs_an_initialised_database(settings, clock) -> None:
    import pytest

    fresh = bootstrap.build(settings, clock=clock)
    with pytest.raises(bootstrap.NotInitialised):
        bootstrap.check_ready(fresh)
    fresh.close()


def test_upgrading_an_old_trail_keeps_it_verifiable(container) -> None:
    # 0003 stores each event's hashed bytes; the backfill must reproduce them exactly.
    from clientkeep.audit import services as audit

    before = audit.verify(uow=container.uow())
    migrate.downgrade(container.engine, "0002")
    assert "body" not in {c["name"] for c in inspect(container.engine).get_columns("audit_event")}
    migrate.upgrade(container.engine)
    after = audit.verify(uow=container.uow())
    assert before.ok and after.ok
    assert (after.count, after.head_hash) == (before.count, before.head_hash)


def test_the_index_of_customers_shown_is_rebuilt_from_the_trail_after_a_downgrade(
    container,
) -> None:
    # 0005 indexes the customers each event lists; undone and redone, it indexes them anew.
    from clientkeep.audit import services as audit
    from clientkeep.audit.model import SHOWN, AuditEntry

    ada, grace = "cus_" + "a" * 24, "cus_" + "b" * 24
    with container.uow() as uow:
        uow.audit.append(
            AuditEntry(
                action="customer.searched",
                actor_id="t",
                actor_role="system",
                credential="t",
                detail={SHOWN: f"{ada},{grace}"},
            )
        )
        uow.commit()
    migrate.downgrade(container.engine, "0004")
    assert "audit_shown" not in inspect(container.engine).get_table_names()
    migrate.upgrade(container.engine)
    assert audit.verify(uow=container.uow()).ok
    with container.uow().reading() as uow:
        assert [e.entry.action for e in uow.audit.page(customer_id=grace)] == ["customer.searched"]
