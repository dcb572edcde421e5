"""No policy role called "system" grants anything: that name belongs to the software itself."""

from __future__ import annotations

from dataclasses import replace

import pytest

from clientkeep.policy import CAPABILITIES, SYSTEM_ROLE, PolicyInvalid, parse_policy
from clientkeep.policy.model import Policy, Role
from tests.unit.policy.conftest import edited


def test_a_policy_declaring_a_system_role_does_not_load() -> None:
    with pytest.raises(PolicyInvalid) as caught:
        parse_policy(edited(("[roles.admin]", "[roles.system]")))
    assert any(
        p.location == "roles.system" and "reserved" in p.message for p in caught.value.problems
    )


def test_a_system_role_smuggled_into_a_built_policy_has_no_capability(policy: Policy) -> None:
    everything = Role(
        name=SYSTEM_ROLE,
        description="all powers",
        purposes=frozenset(),
        may_see_special=False,
        sees_customer_data=False,
        capabilities=CAPABILITIES,
    )
    smuggled = replace(policy, roles={**policy.roles, SYSTEM_ROLE: everything})
    assert not any(smuggled.has_capability(SYSTEM_ROLE, c) for c in CAPABILITIES)
