"""Bad tokens and failed sign-ins: a tally per source in the trail, a refusal when too many."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.shared.errors import AuthenticationFailed
from clientkeep.staff import authentication, services
from clientkeep.staff.errors import TooManyFailedAttempts
from clientkeep.staff.failed_attempts import INTERVAL, FailedAttempts
from tests.unit.staff.conftest import ADMIN, PASSWORD

SOURCE = "203.0.113.7"
WRONG = "not the password at all"


@pytest.fixture
def alice(deps):
    return services.add_staff(
        services.AddStaff(username="alice", role="agent", password=PASSWORD),
        actor=ADMIN,
        **deps,
    )


def bad_token(uow, clock, ledger, source=SOURCE) -> None:
    with pytest.raises(AuthenticationFailed):
        authentication.token_actor(
            "ck_not-a-token", uow=uow, clock=clock, source=source, failures=ledger
        )


def sign_in(deps, ledger, username="alice", password=WRONG):
    return authentication.sign_in(
        username,
        password,
        uow=deps["uow"],
        policy=deps["policy"],
        clock=deps["clock"],
        hasher=deps["hasher"],
        source=SOURCE,
        failures=ledger,
    )


def failed_events(uow):
    return [e.entry for e in uow.audit.events if e.entry.action == "auth.failed"]


def test_three_hundred_bad_tokens_from_one_source_make_one_event(uow, clock) -> None:
    ledger = FailedAttempts(per_minute=1000)
    before = len(uow.audit.events)
    for _ in range(300):
        bad_token(uow, clock, ledger)
    assert len(uow.audit.events) == before + 1
    [first] = failed_events(uow)
    assert first.detail["source"] == SOURCE
    assert (first.credential, first.detail["count"], first.detail["reason"]) == (
        "token",
        1,
        "unknown_token",
    )


def test_the_rest_are_summarised_when_the_next_interval_begins(uow, clock) -> None:
    ledger = FailedAttempts(per_minute=1000)
    for _ in range(300):
        bad_token(uow, clock, ledger)
    clock.advance(INTERVAL)
    bad_token(uow, clock, ledger)
    first, summary, next_first = failed_events(uow)
    assert summary.detail["count"] == 299
    assert summary.detail["interval_start"] == first.detail["interval_start"]
    assert "reason" not in summary.detail and summary.request_id is None
    assert next_first.detail["count"] == 1


def test_a_source_that_fails_too_often_is_refused_before_any_lookup(uow, clock) -> None:
    ledger = FailedAttempts(per_minute=5)
    for _ in range(5):
        bad_token(uow, clock, ledger)

    class NoDatabase:
        def reading(self):
            raise AssertionError("a throttled source must not reach the database")

        def __enter__(self):
            raise AssertionError("a throttled source must not reach the database")

    with pytest.raises(TooManyFailedAttempts) as caught:
        authentication.token_actor(
            "ck_not-a-token", uow=NoDatabase(), clock=clock, source=SOURCE, failures=ledger
        )
    assert caught.value.retry_after == 60
    clock.advance(INTERVAL)
    bad_token(uow, clock, ledger)  # a new interval: checked, and failing, again


def test_a_refused_source_refuses_a_valid_token_too_but_others_still_get_in(
    deps, alice, uow, clock
) -> None:
    ledger = FailedAttempts(per_minute=2)
    secret = services.create_token(
        "crm", uow=uow, actor=authentication.actor_for(alice, "test", None), clock=clock
    ).secret
    for _ in range(2):
        bad_token(uow, clock, ledger)
    with pytest.raises(TooManyFailedAttempts):
        authentication.token_actor(secret, uow=uow, clock=clock, source=SOURCE, failures=ledger)
    actor = authentication.token_actor(
        secret, uow=uow, clock=clock, source="198.51.100.1", failures=ledger
    )
    assert actor.id == alice.id


def test_unknown_usernames_are_tallied_not_recorded_one_by_one(deps, uow) -> None:
    ledger = FailedAttempts(per_minute=1000)
    before = len(uow.audit.events)
    for n in range(40):
        with pytest.raises(AuthenticationFailed):
            sign_in(deps, ledger, username=f"nobody{n}")
    assert len(uow.audit.events) == before + 1
    assert failed_events(uow)[0].detail["reason"] == "unknown_or_disabled_account"


def test_an_accounts_own_failures_and_lockout_are_kept(deps, alice, uow, policy) -> None:
    ledger = FailedAttempts(per_minute=1000)
    for _ in range(policy.staff.max_failed_sign_ins):
        with pytest.raises(AuthenticationFailed):
            sign_in(deps, ledger)
    assert uow.staff.get(alice.id).is_locked(deps["clock"].now())
    own = [
        e.entry
        for e in uow.audit.events
        if e.entry.action == "staff.sign_in" and e.entry.actor_id == alice.id
    ]
    assert [e.detail["failures"] for e in own] == list(
        range(1, policy.staff.max_failed_sign_ins + 1)
    )
    with pytest.raises(AuthenticationFailed):
        sign_in(deps, ledger, password=PASSWORD)  # locked, even for the right password
    assert uow.audit.events[-1].entry.detail == {"reason": "locked"}


def test_a_source_that_fails_sign_in_too_often_is_refused(deps, alice) -> None:
    ledger = FailedAttempts(per_minute=3)
    for _ in range(3):
        with pytest.raises(AuthenticationFailed):
            sign_in(deps, ledger, username="nobody")
    with pytest.raises(TooManyFailedAttempts):
        sign_in(deps, ledger, password=PASSWORD)


def test_a_quiet_sources_summary_rides_along_with_the_next_token_use(
    deps, alice, uow, clock
) -> None:
    ledger = FailedAttempts(per_minute=1000)
    bad_token(uow, clock, ledger)
    bad_token(uow, clock, ledger)
    secret = services.create_token(
        "crm", uow=uow, actor=authentication.actor_for(alice, "test", None), clock=clock
    ).secret
    clock.advance(INTERVAL)
    authentication.token_actor(secret, uow=uow, clock=clock, source="elsewhere", failures=ledger)
    assert [e.detail["count"] for e in failed_events(uow)] == [1, 1]


def test_a_quiet_sources_summary_rides_along_with_the_next_sign_in(deps, alice, uow) -> None:
    ledger = FailedAttempts(per_minute=1000)
    bad_token(uow, deps["clock"], ledger)
    bad_token(uow, deps["clock"], ledger)
    deps["clock"].advance(INTERVAL + timedelta(seconds=1))
    sign_in(deps, ledger, password=PASSWORD)
    assert [e.detail["count"] for e in failed_events(uow)] == [1, 1]


def test_what_is_left_is_recorded_at_shutdown(uow, clock) -> None:
    ledger = FailedAttempts(per_minute=1000)
    for _ in range(3):
        bad_token(uow, clock, ledger)
    authentication.record_pending_failures(ledger, uow=uow, clock=clock)
    assert [e.detail["count"] for e in failed_events(uow)] == [1, 2]
    authentication.record_pending_failures(ledger, uow=uow, clock=clock)
    assert len(failed_events(uow)) == 2
