"""Unlock, disable and re-enable, and change a member's role: each audited, none leaving the
team without an account that can manage staff, none giving a role the policy lacks."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clientkeep.shared.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from clientkeep.staff import accounts, authentication, services
from clientkeep.staff.errors import StaffNotFound
from tests.unit.staff._accounts import add, as_actor
from tests.unit.staff.conftest import ADMIN, AGENT, PASSWORD


def actions(uow) -> list[str]:
    return [e.entry.action for e in uow.audit.events]


def lock(deps, policy, username="alice") -> None:
    for _ in range(policy.staff.max_failed_sign_ins):
        with pytest.raises(AuthenticationFailed):
            authentication.sign_in(username, "not the password", **deps)


def test_unlocking_lifts_the_lock_and_is_audited(deps, uow, policy, clock) -> None:
    alice = add(deps, "alice")
    lock(deps, policy)
    member = accounts.unlock_staff("alice", actor=ADMIN, uow=uow, policy=policy, clock=clock)
    assert not member.is_locked(clock.now()) and member.failed_sign_ins == 0
    event = uow.audit.events[-1].entry
    assert event.action == "staff.unlocked"
    assert event.detail == {"staff_id": alice.id, "was_locked": True}
    authentication.sign_in("alice", PASSWORD, **deps)


def test_unlocking_an_account_that_is_not_locked_changes_and_records_nothing(
    deps, uow, policy, clock
) -> None:
    add(deps, "alice")
    before = len(uow.audit.events)
    accounts.unlock_staff("alice", actor=ADMIN, uow=uow, policy=policy, clock=clock)
    assert len(uow.audit.events) == before


def test_a_disabled_member_is_enabled_again_and_it_is_audited(deps, uow, policy, clock) -> None:
    alice = add(deps, "alice")
    services.disable_staff("alice", actor=ADMIN, uow=uow, policy=policy, clock=clock)
    with pytest.raises(AuthenticationFailed):
        authentication.sign_in("alice", PASSWORD, **deps)
    member = accounts.enable_staff("alice", actor=ADMIN, uow=uow, policy=policy, clock=clock)
    assert member.active
    assert uow.audit.events[-1].entry.detail == {"staff_id": alice.id}
    assert actions(uow)[-1] == "staff.enabled"
    authentication.sign_in("alice", PASSWORD, **deps)


def test_enabling_an_account_whose_role_the_policy_lacks_is_refused(
    deps, uow, policy, clock
) -> None:
    alice = add(deps, "alice")
    uow.staff.update(replace(alice, role="system", disabled_at=clock.now()))
    with pytest.raises(InvalidInput) as caught:
        accounts.enable_staff("alice", actor=ADMIN, uow=uow, policy=policy, clock=clock)
    assert caught.value.field == "role"
    assert not uow.staff.by_username("alice").active


def test_changing_a_role_records_the_old_and_the_new(deps, uow, policy, clock) -> None:
    alice = add(deps, "alice")
    member = accounts.set_role(
        "alice", "supervisor", actor=ADMIN, uow=uow, policy=policy, clock=clock
    )
    assert member.role == "supervisor"
    event = uow.audit.events[-1].entry
    assert event.action == "staff.role_changed"
    assert event.detail == {"staff_id": alice.id, "old_role": "agent", "new_role": "supervisor"}
    signed_in = authentication.sign_in("alice", PASSWORD, **deps)
    assert signed_in.actor.role == "supervisor"


@pytest.mark.parametrize("role", ["wizard", "system", " ", ""])
def test_a_role_the_policy_does_not_know_or_the_systems_is_refused(
    deps, uow, policy, clock, role
) -> None:
    add(deps, "alice")
    with pytest.raises(InvalidInput) as caught:
        accounts.set_role("alice", role, actor=ADMIN, uow=uow, policy=policy, clock=clock)
    assert caught.value.field == "role"
    assert uow.staff.by_username("alice").role == "agent"


def test_the_last_active_admin_is_neither_demoted_nor_disabled(deps, uow, policy, clock) -> None:
    add(deps, "boss", role="admin")
    with pytest.raises(InvalidInput) as demoting:
        accounts.set_role("boss", "agent", actor=ADMIN, uow=uow, policy=policy, clock=clock)
    assert "last active" in demoting.value.errors[0][1]
    with pytest.raises(InvalidInput):
        services.disable_staff("boss", actor=ADMIN, uow=uow, policy=policy, clock=clock)
    add(deps, "deputy", role="admin")
    accounts.set_role("boss", "agent", actor=ADMIN, uow=uow, policy=policy, clock=clock)
    assert uow.staff.by_username("boss").role == "agent"


def test_nobody_changes_their_own_role(deps, uow, policy, clock) -> None:
    boss = add(deps, "boss", role="admin")
    add(deps, "deputy", role="admin")
    with pytest.raises(InvalidInput):
        accounts.set_role(
            "boss", "agent", actor=as_actor(boss), uow=uow, policy=policy, clock=clock
        )


def test_the_same_role_again_changes_and_records_nothing(deps, uow, policy, clock) -> None:
    add(deps, "alice")
    before = len(uow.audit.events)
    accounts.set_role("alice", "agent", actor=ADMIN, uow=uow, policy=policy, clock=clock)
    assert len(uow.audit.events) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda **kw: accounts.unlock_staff("alice", **kw),
        lambda **kw: accounts.enable_staff("alice", **kw),
        lambda **kw: accounts.set_role("alice", "supervisor", **kw),
    ],
)
def test_only_a_role_that_manages_staff_looks_after_accounts(
    deps, uow, policy, clock, change
) -> None:
    add(deps, "alice")
    before = len(uow.audit.events)
    with pytest.raises(PermissionDenied):
        change(actor=AGENT, uow=uow, policy=policy, clock=clock)
    assert len(uow.audit.events) == before and uow.staff.by_username("alice").role == "agent"


def test_an_unknown_username_is_not_found(uow, policy, clock) -> None:
    with pytest.raises(StaffNotFound):
        accounts.unlock_staff("nobody", actor=ADMIN, uow=uow, policy=policy, clock=clock)
