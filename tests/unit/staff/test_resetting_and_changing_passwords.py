"""An administrator resets a password to a temporary one the member must replace; a member
changes their own, giving the current one."""

from __future__ import annotations

import pytest

from clientkeep.audit.model import Outcome
from clientkeep.shared.errors import AuthenticationFailed, InvalidInput, PermissionDenied
from clientkeep.staff import accounts, authentication
from tests.unit.staff._accounts import add, as_actor
from tests.unit.staff.conftest import ADMIN, AGENT, PASSWORD

TEMPORARY = "a temporary passphrase"
NEW = "my very own new passphrase"


def reset(deps, username="alice", password=TEMPORARY, actor=ADMIN):
    return accounts.reset_password(username, password, actor=actor, **deps)


def change(deps, actor, current=TEMPORARY, new=NEW):
    cmd = accounts.ChangePassword(current_password=current, new_password=new)
    return accounts.change_own_password(cmd, actor=actor, **deps)


def sign_in(deps, password, username="alice"):
    return authentication.sign_in(username, password, **deps)


def test_a_reset_sets_a_temporary_password_ends_sessions_and_is_audited(deps, uow) -> None:
    alice = add(deps, "alice")
    session = sign_in(deps, PASSWORD).session
    member = reset(deps)
    assert member.must_change_password and member.password_hash == "plain$" + TEMPORARY
    assert uow.sessions.get(session.id).ended_at is not None
    event = uow.audit.events[-1].entry
    assert (event.action, event.actor_id) == ("staff.password_reset", ADMIN.id)
    assert event.detail == {"staff_id": alice.id}
    assert TEMPORARY not in str(event)


def test_signing_in_with_the_temporary_password_says_a_change_is_due(deps) -> None:
    add(deps, "alice")
    reset(deps)
    assert sign_in(deps, TEMPORARY).must_change_password
    found = authentication.session_actor(sign_in(deps, TEMPORARY).session.id, **_lookup(deps))
    assert found is not None and found.must_change_password


def _lookup(deps):
    return {"uow": deps["uow"], "clock": deps["clock"]}


def test_a_reset_lifts_a_lock(deps, uow, policy) -> None:
    add(deps, "alice")
    for _ in range(policy.staff.max_failed_sign_ins):
        with pytest.raises(AuthenticationFailed):
            sign_in(deps, "wrong password here")
    assert uow.staff.by_username("alice").is_locked(deps["clock"].now())
    reset(deps)
    assert sign_in(deps, TEMPORARY).must_change_password


def test_only_a_staff_manager_resets_and_never_their_own(deps, uow) -> None:
    add(deps, "alice")
    with pytest.raises(PermissionDenied):
        reset(deps, actor=AGENT)
    with pytest.raises(InvalidInput) as caught:
        reset(deps, username="boss", actor=_self_admin(deps))
    assert caught.value.field == "username"
    assert not uow.staff.by_username("alice").must_change_password
    assert not uow.staff.by_username("boss").must_change_password


def _self_admin(deps):
    # Resetting one's own password is the change-password page's job.
    return as_actor(add(deps, "boss", role="admin"))


def test_a_weak_temporary_password_is_refused_naming_the_field(deps, uow) -> None:
    add(deps, "alice")
    with pytest.raises(InvalidInput) as caught:
        reset(deps, password="short")
    assert caught.value.field == "password" and "short" not in str(caught.value.errors)
    assert not uow.staff.by_username("alice").must_change_password


def test_changing_the_password_clears_the_flag_and_is_audited(deps, uow) -> None:
    alice = add(deps, "alice")
    reset(deps)
    member = change(deps, as_actor(alice))
    assert not member.must_change_password
    assert sign_in(deps, NEW).must_change_password is False
    changed = [e.entry for e in uow.audit.events if e.entry.action == "staff.password_changed"]
    assert changed[-1].detail == {"staff_id": alice.id} and changed[-1].actor_id == alice.id


def test_a_wrong_current_password_is_refused_counted_and_audited(deps, uow) -> None:
    alice = add(deps, "alice")
    with pytest.raises(InvalidInput) as caught:
        change(deps, as_actor(alice), current="not the current one")
    assert caught.value.field == "current_password"
    member = uow.staff.by_username("alice")
    assert member.failed_sign_ins == 1 and member.password_hash == "plain$" + PASSWORD
    event = uow.audit.events[-1].entry
    assert event.action == "staff.password_changed" and event.outcome == Outcome.FAILED


@pytest.mark.parametrize(
    ("new", "why"), [("short", "at least"), (PASSWORD, "not just used"), ("alice" * 4, "username")]
)
def test_a_new_password_must_be_sound_and_new(deps, uow, new, why) -> None:
    alice = add(deps, "alice")
    with pytest.raises(InvalidInput) as caught:
        change(deps, as_actor(alice), current=PASSWORD, new=new)
    assert caught.value.field == "new_password" and why in caught.value.errors[0][1]
    assert uow.staff.by_username("alice").password_hash == "plain$" + PASSWORD
