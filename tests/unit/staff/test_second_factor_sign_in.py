"""Signing in with a second factor: a code after the password, within a step either side,
never twice; a recovery code once; wrong codes counted towards the lockout; all audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.shared.errors import AuthenticationFailed
from clientkeep.staff import authentication, second_factor
from clientkeep.staff.errors import TooManyFailedAttempts
from clientkeep.staff.failed_attempts import FailedAttempts
from clientkeep.staff.model import AWAITING_CODE
from tests.fakes.staff import ReversibleSealer
from tests.unit.staff._second_factor import code, code_step, enrol, password_step


@pytest.fixture
def sealer() -> ReversibleSealer:
    return ReversibleSealer()


@pytest.fixture
def alice(deps, sealer, clock):
    enrolled = enrol(deps, sealer)
    # Well past the step the enrolment code used, so no code near now was used before.
    clock.advance(timedelta(minutes=5))
    return enrolled


def test_the_password_alone_opens_only_a_short_half_session(deps, alice, uow, clock) -> None:
    half = password_step(deps)
    assert half.awaiting == AWAITING_CODE
    assert half.session.expires_at - clock.now() == authentication.HALF_SIGNED_IN
    live = authentication.session_actor(half.session.id, uow=uow, clock=clock)
    assert live is not None and live.awaiting == AWAITING_CODE
    assert uow.audit.actions()[-1] == "staff.password_accepted"
    assert "staff.sign_in" not in uow.audit.actions()


def test_the_current_code_signs_in_under_a_new_session(deps, alice, sealer, uow, clock) -> None:
    half = password_step(deps)
    signed_in = code_step(deps, sealer, half.session.id, code(alice.secret, clock.now()))
    assert signed_in.session.id != half.session.id
    assert signed_in.awaiting is None
    assert signed_in.actor.credential == f"session:{signed_in.session.id}"
    assert uow.sessions.get(half.session.id).ended_at is not None
    live = authentication.session_actor(signed_in.session.id, uow=uow, clock=clock)
    assert live is not None and live.awaiting is None
    event = uow.audit.events[-1].entry
    assert event.action == "staff.sign_in" and event.detail["second_factor"] == "code"


@pytest.mark.parametrize("steps", [-1, 1])
def test_a_code_one_step_either_side_is_accepted(deps, alice, sealer, clock, steps) -> None:
    half = password_step(deps)
    code_step(deps, sealer, half.session.id, code(alice.secret, clock.now(), steps))


@pytest.mark.parametrize("steps", [-2, 2])
def test_a_code_two_steps_away_is_refused(deps, alice, sealer, uow, clock, steps) -> None:
    half = password_step(deps)
    with pytest.raises(AuthenticationFailed) as caught:
        code_step(deps, sealer, half.session.id, code(alice.secret, clock.now(), steps))
    assert caught.value.message == second_factor.CODE_FAILED
    event = uow.audit.events[-1].entry
    assert (event.action, event.outcome) == ("staff.second_factor_code", "failed")
    assert event.detail["reason"] == "wrong_code"


def test_a_code_is_never_accepted_twice(deps, alice, sealer, clock) -> None:
    now_code = code(alice.secret, clock.now())
    code_step(deps, sealer, password_step(deps).session.id, now_code)
    with pytest.raises(AuthenticationFailed):
        code_step(deps, sealer, password_step(deps).session.id, now_code)


def test_a_code_older_than_one_used_is_refused(deps, alice, sealer, clock) -> None:
    code_step(deps, sealer, password_step(deps).session.id, code(alice.secret, clock.now(), 1))
    with pytest.raises(AuthenticationFailed):
        code_step(deps, sealer, password_step(deps).session.id, code(alice.secret, clock.now()))


def test_a_recovery_code_signs_in_once(deps, alice, sealer, uow) -> None:
    recovery = alice.recovery_codes[0]
    signed_in = code_step(deps, sealer, password_step(deps).session.id, recovery.lower())
    assert signed_in.awaiting is None
    used = next(e.entry for e in uow.audit.events if e.entry.action == "staff.recovery_code_used")
    assert used.detail["codes_left"] == len(alice.recovery_codes) - 1
    assert uow.audit.events[-1].entry.detail["second_factor"] == "recovery_code"
    assert recovery not in str(uow.audit.events)
    with pytest.raises(AuthenticationFailed):
        code_step(deps, sealer, password_step(deps).session.id, recovery)
    # Another of the codes still works.
    code_step(deps, sealer, password_step(deps).session.id, alice.recovery_codes[1])


def test_a_recovery_code_of_someone_else_is_refused(deps, alice, sealer) -> None:
    bob = enrol(deps, sealer, "bob")
    with pytest.raises(AuthenticationFailed):
        code_step(deps, sealer, password_step(deps).session.id, bob.recovery_codes[0])


def test_wrong_codes_count_towards_the_lockout_with_wrong_passwords(
    deps, alice, sealer, uow, clock, policy
) -> None:
    limit = policy.staff.max_failed_sign_ins
    with pytest.raises(AuthenticationFailed):
        password_step(deps, password="not the password at all")
    half = password_step(deps)
    # The right password does not wipe out the failure before it while a code is awaited.
    assert uow.staff.get(alice.member.id).failed_sign_ins == 1
    for _ in range(limit - 1):
        with pytest.raises(AuthenticationFailed):
            code_step(deps, sealer, half.session.id, "000000")
    member = uow.staff.get(alice.member.id)
    assert member.failed_sign_ins == limit and member.is_locked(clock.now())
    assert uow.sessions.get(half.session.id).ended_at is not None
    # Locked: the password is refused too, and the right code would be.
    with pytest.raises(AuthenticationFailed):
        password_step(deps)


def test_a_password_again_does_not_reset_the_count_of_wrong_codes(
    deps, alice, sealer, uow, clock, policy
) -> None:
    for _ in range(policy.staff.max_failed_sign_ins):
        half = password_step(deps)
        with pytest.raises(AuthenticationFailed):
            code_step(deps, sealer, half.session.id, "000000")
    assert uow.staff.get(alice.member.id).is_locked(clock.now())


def test_a_locked_account_is_refused_without_looking_at_the_code(
    deps, alice, sealer, uow, clock, policy
) -> None:
    half = password_step(deps)
    other = password_step(deps)
    step_before = uow.staff.second_factor(alice.member.id).last_used_step
    for _ in range(policy.staff.max_failed_sign_ins):
        with pytest.raises(AuthenticationFailed):
            code_step(deps, sealer, half.session.id, "000000")
    with pytest.raises(AuthenticationFailed) as caught:
        code_step(deps, sealer, other.session.id, code(alice.secret, clock.now()))
    assert caught.value.message == second_factor.CODE_FAILED
    event = uow.audit.events[-1].entry
    assert (event.action, event.outcome, event.detail["reason"]) == (
        "staff.second_factor_code",
        "denied",
        "locked",
    )
    # The right code was not even checked: it was not used up.
    assert uow.staff.second_factor(alice.member.id).last_used_step == step_before
    assert uow.sessions.get(other.session.id).ended_at is not None


def test_the_right_code_clears_the_count(deps, alice, sealer, uow, clock) -> None:
    half = password_step(deps)
    with pytest.raises(AuthenticationFailed):
        code_step(deps, sealer, half.session.id, "000000")
    code_step(deps, sealer, half.session.id, code(alice.secret, clock.now()))
    assert uow.staff.get(alice.member.id).failed_sign_ins == 0


def test_an_expired_half_session_takes_no_code(deps, alice, sealer, clock) -> None:
    half = password_step(deps)
    clock.advance(authentication.HALF_SIGNED_IN)
    with pytest.raises(AuthenticationFailed) as caught:
        code_step(deps, sealer, half.session.id, code(alice.secret, clock.now()))
    assert caught.value.message == second_factor.SIGN_IN_AGAIN


def test_a_signed_in_session_is_not_a_second_step(deps, alice, sealer, clock) -> None:
    signed_in = code_step(
        deps, sealer, password_step(deps).session.id, code(alice.secret, clock.now())
    )
    with pytest.raises(AuthenticationFailed):
        code_step(deps, sealer, signed_in.session.id, code(alice.secret, clock.now(), 1))


def test_a_source_that_keeps_failing_is_refused_before_any_lookup(
    deps, alice, sealer, uow, clock
) -> None:
    failures = FailedAttempts(per_minute=2)
    half = password_step(deps, source="203.0.113.9", failures=failures)
    for _ in range(2):
        with pytest.raises(AuthenticationFailed):
            code_step(
                deps, sealer, half.session.id, "000000", source="203.0.113.9", failures=failures
            )
    before = len(uow.audit.events)
    with pytest.raises(TooManyFailedAttempts):
        code_step(
            deps,
            sealer,
            half.session.id,
            code(alice.secret, clock.now()),
            source="203.0.113.9",
            failures=failures,
        )
    assert len(uow.audit.events) == before
    tally = next(e.entry for e in uow.audit.events if e.entry.action == "auth.failed")
    assert tally.detail["credential"] == second_factor.CREDENTIAL


def test_a_member_without_a_second_factor_signs_in_with_the_password(deps, uow) -> None:
    from tests.unit.staff._accounts import add

    add(deps, "carol")
    signed_in = password_step(deps, username="carol")
    assert signed_in.awaiting is None
    assert uow.audit.actions()[-1] == "staff.sign_in"
