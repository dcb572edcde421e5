"""Turning the second factor on (only after a right code), its recovery codes (shown once,
kept hashed), turning it off, an administrator's reset, and the policy that may require it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.policy.errors import PolicyInvalid
from clientkeep.policy.loader import default_policy_path, load_policy, parse_policy
from clientkeep.policy.model import SecondFactorRule
from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.staff import authentication, second_factor
from clientkeep.staff.model import AWAITING_ENROLMENT
from tests.fakes.staff import ReversibleSealer
from tests.unit.staff._accounts import add, as_actor
from tests.unit.staff._second_factor import code, code_step, enrol, password_step
from tests.unit.staff.conftest import ADMIN


@pytest.fixture
def sealer() -> ReversibleSealer:
    return ReversibleSealer()


def requiring(role: str) -> str:
    text = default_policy_path().read_text()
    block = f"[roles.{role}]"
    start = text.index(block)
    at = text.index('second_factor = "optional"', start)
    return text[:at] + 'second_factor = "required"' + text[at + len('second_factor = "optional"') :]


def test_the_shipped_policy_keeps_every_role_optional() -> None:
    policy = load_policy()
    assert {r.second_factor for r in policy.roles.values()} == {SecondFactorRule.OPTIONAL}
    assert not any(policy.requires_second_factor(name) for name in policy.roles)


def test_a_role_may_require_a_second_factor() -> None:
    policy = parse_policy(requiring("admin"))
    assert policy.requires_second_factor("admin")
    assert not policy.requires_second_factor("agent")


def test_a_role_without_the_key_leaves_it_optional() -> None:
    text = default_policy_path().read_text().replace('second_factor = "optional"\n', "")
    assert not parse_policy(text).requires_second_factor("agent")


def test_an_unknown_value_is_a_policy_problem_naming_the_key() -> None:
    text = requiring("agent").replace('second_factor = "required"', 'second_factor = "always"')
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(text)
    [problem] = caught.value.problems
    assert problem.location == "roles.agent.second_factor"
    assert "'always'" in problem.message and "required" in problem.message


def test_a_new_secret_is_sealed_and_not_on_until_a_right_code(deps, sealer, uow, clock) -> None:
    member = add(deps, "alice")
    actor = as_actor(member)
    second_factor.begin_enrolment(uow=uow, actor=actor, clock=clock, sealer=sealer)
    shown = second_factor.pending_enrolment(uow=uow, actor=actor, sealer=sealer)
    assert shown is not None
    assert shown.uri.startswith("otpauth://totp/clientkeep:alice?secret=" + shown.secret)
    stored = uow.staff.second_factor(member.id)
    assert shown.secret.encode() not in stored.sealed_secret
    assert not stored.enabled
    # Not on yet: the password alone still signs in.
    assert password_step(deps).awaiting is None
    with pytest.raises(InvalidInput) as caught:
        second_factor.confirm_enrolment(
            code(shown.secret, clock.now(), 3),
            uow=uow,
            actor=actor,
            clock=clock,
            sealer=sealer,
            policy=deps["policy"],
        )
    assert caught.value.field == "code"
    assert not uow.staff.second_factor(member.id).enabled
    event = uow.audit.events[-1].entry
    assert (event.action, event.outcome) == ("staff.second_factor_enrolled", "failed")


def test_a_right_code_turns_it_on_with_recovery_codes_kept_hashed(deps, sealer, uow) -> None:
    alice = enrol(deps, sealer)
    assert len(alice.recovery_codes) == second_factor.RECOVERY_CODE_COUNT
    assert len(set(alice.recovery_codes)) == len(alice.recovery_codes)
    stored = uow.staff.recovery[alice.member.id]
    assert all(c not in str(stored) for c in alice.recovery_codes)
    assert uow.staff.recovery_codes_left(alice.member.id) == len(alice.recovery_codes)
    status = second_factor.own_status(uow=uow, actor=as_actor(alice.member), policy=deps["policy"])
    assert status.enabled and not status.required and not status.enrolling
    assert uow.audit.actions()[-1] == "staff.second_factor_enrolled"
    assert password_step(deps).awaiting == "second_factor"


def test_a_second_enrolment_is_refused_while_it_is_on(deps, sealer, uow, clock) -> None:
    alice = enrol(deps, sealer)
    with pytest.raises(InvalidInput):
        second_factor.begin_enrolment(
            uow=uow, actor=as_actor(alice.member), clock=clock, sealer=sealer
        )


def test_recovery_codes_held_on_the_session_are_shown_once(deps, sealer, uow, clock) -> None:
    member = add(deps, "alice")
    actor = as_actor(member)
    session = password_step(deps).session
    second_factor.begin_enrolment(uow=uow, actor=actor, clock=clock, sealer=sealer)
    shown = second_factor.pending_enrolment(uow=uow, actor=actor, sealer=sealer)
    done = second_factor.confirm_enrolment(
        code(shown.secret, clock.now()),
        uow=uow,
        actor=actor,
        clock=clock,
        sealer=sealer,
        policy=deps["policy"],
        session=session,
    )
    current = uow.sessions.get(session.id)
    assert second_factor.take_recovery_codes(current, uow=uow) == done.recovery_codes
    again = uow.sessions.get(session.id)
    assert again.pending_recovery_codes is None
    assert second_factor.take_recovery_codes(again, uow=uow) == []
    assert second_factor.take_recovery_codes(current, uow=uow) == []


def test_a_role_that_requires_it_is_taken_to_enrolment_then_signed_in(
    deps, sealer, uow, clock
) -> None:
    deps["policy"] = parse_policy(requiring("agent"))
    member = add(deps, "alice")
    half = password_step(deps)
    assert half.awaiting == AWAITING_ENROLMENT
    assert half.session.expires_at - clock.now() == authentication.HALF_SIGNED_IN
    actor = half.actor
    second_factor.begin_enrolment(uow=uow, actor=actor, clock=clock, sealer=sealer)
    shown = second_factor.pending_enrolment(uow=uow, actor=actor, sealer=sealer)
    done = second_factor.confirm_enrolment(
        code(shown.secret, clock.now()),
        uow=uow,
        actor=actor,
        clock=clock,
        sealer=sealer,
        policy=deps["policy"],
        session=half.session,
    )
    assert done.signed_in is not None
    signed_in = done.signed_in.session
    assert signed_in.id != half.session.id and signed_in.awaiting is None
    assert uow.sessions.get(half.session.id).ended_at is not None
    # The codes wait on the session that will show the page after the redirect.
    assert uow.sessions.get(signed_in.id).pending_recovery_codes is not None
    assert uow.audit.actions()[-2:] == ["staff.second_factor_enrolled", "staff.sign_in"]
    status = second_factor.own_status(uow=uow, actor=as_actor(member), policy=deps["policy"])
    assert status.required and status.enabled
    # And it cannot be turned off while the policy requires it.
    clock.advance(timedelta(minutes=2))
    with pytest.raises(InvalidInput) as caught:
        second_factor.turn_off(
            code(shown.secret, clock.now()),
            uow=uow,
            actor=as_actor(member),
            policy=deps["policy"],
            clock=clock,
            sealer=sealer,
        )
    assert "requires" in caught.value.message


def test_turning_it_off_needs_a_right_code_and_counts_wrong_ones(deps, sealer, uow, clock) -> None:
    alice = enrol(deps, sealer)
    actor = as_actor(alice.member)
    clock.advance(timedelta(minutes=2))
    args = {"uow": uow, "actor": actor, "policy": deps["policy"], "clock": clock}
    with pytest.raises(InvalidInput):
        second_factor.turn_off("123456", sealer=sealer, **args)
    assert uow.staff.get(alice.member.id).failed_sign_ins == 1
    assert uow.staff.second_factor(alice.member.id).enabled
    second_factor.turn_off(code(alice.secret, clock.now()), sealer=sealer, **args)
    assert uow.staff.second_factor(alice.member.id) is None
    assert uow.staff.recovery_codes_left(alice.member.id) == 0
    assert uow.audit.actions()[-1] == "staff.second_factor_disabled"
    assert password_step(deps).awaiting is None


def test_an_administrator_resets_a_members_second_factor(deps, sealer, uow, clock) -> None:
    alice = enrol(deps, sealer)
    clock.advance(timedelta(minutes=2))
    signed_in = code_step(
        deps, sealer, password_step(deps).session.id, code(alice.secret, clock.now())
    )
    admin = as_actor(add(deps, "root", "admin"))
    status = second_factor.status_of("alice", uow=uow, actor=admin, policy=deps["policy"])
    assert status.enabled and status.recovery_codes_left == second_factor.RECOVERY_CODE_COUNT
    second_factor.reset("alice", uow=uow, actor=admin, policy=deps["policy"], clock=clock)
    assert uow.staff.second_factor(alice.member.id) is None
    assert uow.sessions.get(signed_in.session.id).ended_at is not None
    event = uow.audit.events[-1].entry
    assert (event.action, event.detail["staff_id"]) == (
        "staff.second_factor_reset",
        alice.member.id,
    )
    assert password_step(deps).awaiting is None
    # Nothing to reset: nothing changes and nothing is recorded.
    count = len(uow.audit.events)
    second_factor.reset("alice", uow=uow, actor=admin, policy=deps["policy"], clock=clock)
    assert len(uow.audit.events) == count


def test_only_a_staff_manager_resets_or_reads_anothers_second_factor(
    deps, sealer, uow, clock
) -> None:
    enrol(deps, sealer)
    agent = as_actor(add(deps, "bob"))
    with pytest.raises(PermissionDenied):
        second_factor.reset("alice", uow=uow, actor=agent, policy=deps["policy"], clock=clock)
    with pytest.raises(PermissionDenied):
        second_factor.status_of("alice", uow=uow, actor=agent, policy=deps["policy"])
    assert uow.staff.second_factor(uow.staff.by_username("alice").id).enabled


def test_an_administrator_cannot_reset_their_own(deps, sealer, uow, clock) -> None:
    root = enrol(deps, sealer, "root", "admin")
    with pytest.raises(InvalidInput):
        second_factor.reset(
            "root", uow=uow, actor=as_actor(root.member), policy=deps["policy"], clock=clock
        )


def test_the_staff_list_learns_who_has_it_on(deps, sealer, uow) -> None:
    alice = enrol(deps, sealer)
    add(deps, "bob")
    ids = second_factor.members_with_second_factor(uow=uow, actor=ADMIN, policy=deps["policy"])
    assert ids == {alice.member.id}
