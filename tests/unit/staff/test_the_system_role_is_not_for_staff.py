"""Only the software itself acts as the system: a staff member whose role is called "system"
(made outside the policy, which may not declare it) gets no power from the name."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clientkeep.shared.actor import SYSTEM, Actor
from clientkeep.shared.errors import AuthenticationFailed, PermissionDenied
from clientkeep.staff import authentication, services
from tests.unit.staff.conftest import ADMIN, PASSWORD


@pytest.fixture
def mallory(deps, uow):
    member = services.add_staff(
        services.AddStaff(username="mallory", role="agent", password=PASSWORD),
        actor=ADMIN,
        **deps,
    )
    # As if the row were edited, or the account made under an older, unchecked policy.
    renamed = replace(member, role="system")
    uow.staff.update(renamed)
    return renamed


def test_a_staff_actor_in_a_role_called_system_passes_no_capability_check(policy) -> None:
    staff_actor = Actor(id="stf_mallory", name="mallory", role="system", credential="session:x")
    with pytest.raises(PermissionDenied):
        services.require_capability(policy, staff_actor, services.MANAGE_STAFF)


def test_the_software_and_its_cli_operator_still_act_as_the_system(policy) -> None:
    operator = Actor(id="cli:root", name="root", role="system", credential="cli")
    for actor in (SYSTEM, operator):
        services.require_capability(policy, actor, services.MANAGE_STAFF)


def test_such_a_member_cannot_be_turned_into_an_actor(mallory) -> None:
    with pytest.raises(PermissionDenied):
        authentication.actor_for(mallory, "cli", None)


def test_such_a_member_cannot_sign_in_even_with_the_right_password(deps, mallory, uow) -> None:
    with pytest.raises(AuthenticationFailed):
        authentication.sign_in(
            "mallory",
            PASSWORD,
            uow=uow,
            policy=deps["policy"],
            clock=deps["clock"],
            hasher=deps["hasher"],
        )
    assert uow.sessions.rows == {}


def test_such_a_member_cannot_add_staff(deps, mallory, uow) -> None:
    as_mallory = Actor(id=mallory.id, name="mallory", role="system", credential="session:x")
    with pytest.raises(PermissionDenied):
        services.add_staff(
            services.AddStaff(username="mallory.two", role="admin", password=PASSWORD),
            actor=as_mallory,
            **deps,
        )
    assert uow.staff.by_username("mallory.two") is None
