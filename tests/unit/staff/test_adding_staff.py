"""Adding staff: only a role that manages staff may, with a sound name, role and password."""

from __future__ import annotations

import pytest

from clientkeep.shared.errors import InvalidInput, PermissionDenied
from clientkeep.staff import services
from clientkeep.staff.errors import UsernameTaken, WeakPassword
from tests.unit.staff.conftest import ADMIN, AGENT, PASSWORD


def add(deps, *, actor=ADMIN, username="alice", role="agent", password=PASSWORD, **kw):
    return services.add_staff(
        services.AddStaff(username=username, role=role, password=password, **kw),
        actor=actor,
        **deps,
    )


def test_it_adds_a_staff_member_with_a_hashed_password_and_audits_it(deps, uow) -> None:
    member = add(deps, username="  Alice ", display_name="Alice  Smith")
    assert member.username == "alice"
    assert member.display_name == "Alice Smith"
    assert member.password_hash != PASSWORD
    assert uow.staff.by_username("alice") == member
    event = uow.audit.events[-1]
    assert event.entry.action == "staff.created"
    assert event.entry.actor_id == ADMIN.id
    assert event.entry.detail == {"staff_id": member.id, "role": "agent"}
    assert PASSWORD not in str(event)


def test_an_agent_may_not_add_staff(deps, uow) -> None:
    with pytest.raises(PermissionDenied):
        add(deps, actor=AGENT)
    assert uow.staff.rows == {}


def test_a_role_the_policy_does_not_know_is_refused_naming_the_field(deps) -> None:
    with pytest.raises(InvalidInput) as caught:
        add(deps, role="wizard")
    assert caught.value.errors[0][0] == "role"


@pytest.mark.parametrize("username", ["", "a", "1abc", "has space", "x" * 65, "émile"])
def test_a_bad_username_is_refused(deps, username: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        add(deps, username=username)
    assert caught.value.field == "username"


@pytest.mark.parametrize(
    "password",
    ["short", "alice-is-my-password", "aaaaaaaaaaaaaaaa"],
    ids=["too-short", "contains-username", "repetitive"],
)
def test_a_weak_password_is_refused_without_echoing_it(deps, password: str) -> None:
    with pytest.raises(WeakPassword) as caught:
        add(deps, password=password)
    assert caught.value.field == "password"
    assert password not in caught.value.message


def test_a_taken_username_is_a_conflict(deps) -> None:
    add(deps)
    with pytest.raises(UsernameTaken):
        add(deps, username="ALICE")
