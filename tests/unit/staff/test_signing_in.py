"""Signing in: right password opens a session; wrong ones count towards a lockout."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.shared.errors import AuthenticationFailed
from clientkeep.staff import authentication, services
from tests.unit.staff.conftest import ADMIN, PASSWORD


@pytest.fixture
def alice(deps):
    return services.add_staff(
        services.AddStaff(username="alice", role="agent", password=PASSWORD),
        actor=ADMIN,
        **deps,
    )


def sign_in(deps, password=PASSWORD, username="alice"):
    return authentication.sign_in(
        username,
        password,
        uow=deps["uow"],
        policy=deps["policy"],
        clock=deps["clock"],
        hasher=deps["hasher"],
    )


def test_the_right_password_opens_a_session_as_that_staff_member(deps, alice, uow) -> None:
    signed_in = sign_in(deps)
    assert signed_in.actor.id == alice.id
    assert signed_in.actor.credential == f"session:{signed_in.session.id}"
    assert uow.sessions.get(signed_in.session.id) is not None
    assert uow.audit.events[-1].entry.action == "staff.sign_in"
    assert uow.audit.events[-1].entry.outcome == "success"


def test_a_wrong_password_fails_vaguely_and_is_audited(deps, alice, uow) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        sign_in(deps, password="not the password at all")
    assert "not right" in caught.value.message
    event = uow.audit.events[-1]
    assert (event.entry.action, event.entry.outcome) == ("staff.sign_in", "failed")
    assert event.entry.actor_id == alice.id
    assert "not the password" not in str(event)


def test_an_unknown_username_fails_the_same_way_without_recording_what_was_typed(deps, uow) -> None:
    with pytest.raises(AuthenticationFailed) as caught:
        sign_in(deps, username="my-secret-password")
    assert "not right" in caught.value.message
    assert "my-secret-password" not in str(uow.audit.events[-1])
    assert uow.audit.events[-1].entry.actor_id == "anonymous"


def fail_until_locked(deps, policy) -> None:
    for _ in range(policy.staff.max_failed_sign_ins):
        with pytest.raises(AuthenticationFailed):
            sign_in(deps, password="wrong wrong wrong")


def test_repeated_failures_lock_the_account_even_for_the_right_password(
    deps, alice, clock, policy
) -> None:
    fail_until_locked(deps, policy)
    with pytest.raises(AuthenticationFailed):
        sign_in(deps)
    clock.advance(timedelta(minutes=policy.staff.lockout_minutes, seconds=1))
    assert sign_in(deps).actor.id == alice.id


def test_a_locked_account_fails_the_same_way_whether_the_password_is_right_or_not(
    deps, alice, uow, policy
) -> None:
    fail_until_locked(deps, policy)
    answers = []
    for password in (PASSWORD, "still wrong"):
        with pytest.raises(AuthenticationFailed) as caught:
            sign_in(deps, password=password)
        answers.append((type(caught.value), caught.value.code, caught.value.message))
        event = uow.audit.events[-1].entry
        assert (event.outcome, event.detail) == ("denied", {"reason": "locked"})
    assert answers[0] == answers[1]


def test_a_locked_account_never_checks_the_password(deps, alice, policy, hasher) -> None:
    fail_until_locked(deps, policy)
    checked: list[str] = []
    verify = hasher.verify
    hasher.verify = lambda stored, given: checked.append(stored) or verify(stored, given)
    with pytest.raises(AuthenticationFailed):
        sign_in(deps)
    assert alice.password_hash not in checked
    assert len(checked) == 1  # a dummy check, so a locked account costs what any other does


def test_a_locked_account_answers_like_a_wrong_password(deps, alice, policy) -> None:
    with pytest.raises(AuthenticationFailed) as wrong:
        sign_in(deps, password="not it")
    fail_until_locked(deps, policy)
    with pytest.raises(AuthenticationFailed) as locked:
        sign_in(deps)
    assert (locked.value.code, locked.value.message) == (wrong.value.code, wrong.value.message)


def test_a_success_resets_the_failure_count(deps, alice, uow, policy) -> None:
    for _ in range(policy.staff.max_failed_sign_ins - 1):
        with pytest.raises(AuthenticationFailed):
            sign_in(deps, password="wrong wrong wrong")
    sign_in(deps)
    assert uow.staff.get(alice.id).failed_sign_ins == 0


def test_a_disabled_account_cannot_sign_in(deps, alice) -> None:
    services.disable_staff(
        "alice", actor=ADMIN, uow=deps["uow"], policy=deps["policy"], clock=deps["clock"]
    )
    with pytest.raises(AuthenticationFailed):
        sign_in(deps)


def test_sessions_expire_and_end_on_sign_out(deps, alice, clock, policy) -> None:
    signed_in = sign_in(deps)
    sid = signed_in.session.id
    assert authentication.session_actor(sid, uow=deps["uow"], clock=clock) is not None
    authentication.sign_out(sid, uow=deps["uow"], actor=signed_in.actor, clock=clock)
    assert authentication.session_actor(sid, uow=deps["uow"], clock=clock) is None
    again = sign_in(deps).session.id
    clock.advance(timedelta(minutes=policy.staff.session_minutes))
    assert authentication.session_actor(again, uow=deps["uow"], clock=clock) is None
