"""API tokens: shown once, stored hashed, revocable, and their use audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from clientkeep.shared.actor import SYSTEM
from clientkeep.shared.errors import AuthenticationFailed, PermissionDenied
from clientkeep.staff import authentication, services
from tests.unit.staff.conftest import ADMIN, PASSWORD


@pytest.fixture
def alice(deps):
    return services.add_staff(
        services.AddStaff(username="alice", role="agent", password=PASSWORD),
        actor=ADMIN,
        **deps,
    )


def as_member(member):
    return authentication.actor_for(member, "test", None)


def new_token(deps, member=None):
    member = member or deps["uow"].staff.by_username("alice")
    return services.create_token(
        "crm", uow=deps["uow"], actor=as_member(member), clock=deps["clock"]
    )


def test_a_token_is_stored_only_as_a_hash(deps, alice, uow) -> None:
    new = new_token(deps)
    assert new.secret.startswith("ck_")
    stored = uow.tokens.get(new.token.id)
    assert new.secret not in repr(stored)
    assert stored.token_hash == services.hash_token(new.secret)


def test_a_token_authenticates_as_its_staff_member(deps, alice, uow, clock) -> None:
    new = new_token(deps)
    actor = authentication.token_actor(new.secret, uow=uow, clock=clock, request_id="req_1")
    assert (actor.id, actor.role, actor.credential) == (alice.id, "agent", f"token:{new.token.id}")
    assert uow.audit.events[-1].entry.action == "token.used"


def test_token_use_is_audited_at_most_once_per_interval(deps, alice, uow, clock) -> None:
    new = new_token(deps)
    for _ in range(3):
        authentication.token_actor(new.secret, uow=uow, clock=clock)
    assert uow.audit.actions().count("token.used") == 1
    clock.advance(authentication.TOKEN_USE_AUDIT_INTERVAL + timedelta(seconds=1))
    authentication.token_actor(new.secret, uow=uow, clock=clock)
    assert uow.audit.actions().count("token.used") == 2


@pytest.mark.parametrize("secret", ["", "ck_nope", "not-even-prefixed"])
def test_an_unknown_token_is_rejected_and_audited(deps, uow, clock, secret: str) -> None:
    with pytest.raises(AuthenticationFailed):
        authentication.token_actor(secret, uow=uow, clock=clock)
    event = uow.audit.events[-1].entry
    assert (event.action, event.credential, event.outcome) == ("auth.failed", "token", "failed")
    assert event.detail["reason"] == "unknown_token"
    assert secret not in str(event) or not secret


def test_a_revoked_token_no_longer_works(deps, alice, uow, clock) -> None:
    new = new_token(deps)
    services.revoke_token(new.token.id, uow=uow, actor=ADMIN, policy=deps["policy"], clock=clock)
    with pytest.raises(AuthenticationFailed):
        authentication.token_actor(new.secret, uow=uow, clock=clock)


def test_disabling_staff_revokes_their_tokens(deps, alice, uow, clock) -> None:
    new = new_token(deps)
    services.disable_staff("alice", uow=uow, actor=ADMIN, policy=deps["policy"], clock=clock)
    assert uow.tokens.get(new.token.id).revoked_at == clock.now()
    with pytest.raises(AuthenticationFailed):
        authentication.token_actor(new.secret, uow=uow, clock=clock)


def test_the_last_staff_manager_cannot_be_disabled(deps, uow, clock) -> None:
    other_admin = services.add_staff(
        services.AddStaff(username="boss", role="admin", password=PASSWORD), actor=ADMIN, **deps
    )
    assert other_admin.role == "admin"
    from clientkeep.shared.errors import InvalidInput

    with pytest.raises(InvalidInput):
        services.disable_staff("boss", uow=uow, actor=ADMIN, policy=deps["policy"], clock=clock)


def test_a_member_makes_a_token_for_themselves_and_it_is_audited(deps, alice, uow) -> None:
    new = new_token(deps)
    assert new.token.staff_id == alice.id
    event = uow.audit.events[-1].entry
    assert (event.action, event.actor_id) == ("token.created", alice.id)


@pytest.mark.parametrize("maker", [ADMIN, SYSTEM], ids=["an-admin", "the-system"])
def test_nobody_else_can_make_a_token_that_acts_as_a_member(deps, alice, uow, maker) -> None:
    # Tokens act as their holder: there is no way to name someone else as the holder, and an
    # actor who is not a staff member on record (the system, an unknown admin) gets none.
    with pytest.raises(PermissionDenied):
        services.create_token("crm", uow=uow, actor=maker, clock=deps["clock"])
    assert uow.tokens.rows == {}


def test_a_member_lists_and_revokes_their_own_tokens(deps, alice, uow, clock) -> None:
    new = new_token(deps)
    mine = services.list_tokens("alice", uow=uow, actor=as_member(alice), policy=deps["policy"])
    assert [t.id for t in mine] == [new.token.id]
    services.revoke_token(
        new.token.id, uow=uow, actor=as_member(alice), policy=deps["policy"], clock=clock
    )
    assert uow.tokens.get(new.token.id).revoked_at == clock.now()


def test_a_member_cannot_see_or_revoke_someone_elses_tokens(deps, alice, uow, clock) -> None:
    bob = services.add_staff(
        services.AddStaff(username="bob", role="agent", password=PASSWORD), actor=ADMIN, **deps
    )
    new = new_token(deps)
    with pytest.raises(PermissionDenied):
        services.list_tokens("alice", uow=uow, actor=as_member(bob), policy=deps["policy"])
    with pytest.raises(PermissionDenied):
        services.revoke_token(
            new.token.id, uow=uow, actor=as_member(bob), policy=deps["policy"], clock=clock
        )
    assert uow.tokens.get(new.token.id).revoked_at is None


def test_an_admin_lists_and_revokes_anyones_tokens(deps, alice, uow, clock) -> None:
    new = new_token(deps)
    listed = services.list_tokens("alice", uow=uow, actor=ADMIN, policy=deps["policy"])
    assert [t.id for t in listed] == [new.token.id]
    services.revoke_token(new.token.id, uow=uow, actor=ADMIN, policy=deps["policy"], clock=clock)
    assert uow.tokens.get(new.token.id).revoked_at == clock.now()
