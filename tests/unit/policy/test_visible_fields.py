"""Who sees what: a role sees a purpose's fields only if it may act under that purpose."""

from __future__ import annotations

import pytest

from clientkeep.policy import UnknownPurpose, UnknownRole


def test_an_agent_never_sees_accessibility_needs(policy) -> None:
    for purpose in policy.purposes:
        assert "accessibility_needs" not in policy.visible_fields("agent", purpose)


def test_a_supervisor_sees_accessibility_needs_under_service(policy) -> None:
    assert "accessibility_needs" in policy.visible_fields("supervisor", "service")


def test_an_agent_sees_the_ordinary_service_fields(policy) -> None:
    seen = policy.visible_fields("agent", "service")
    assert {"given_name", "family_name", "email", "phone", "postcode"} <= seen


def test_an_admin_sees_no_customer_data(policy) -> None:
    for purpose in policy.purposes:
        assert policy.visible_fields("admin", purpose) == frozenset()
        assert not policy.role_may_act_under("admin", purpose)


def test_identity_verification_fields_are_compared_never_shown(policy) -> None:
    for role in policy.roles:
        assert policy.visible_fields(role, "identity_verification") == frozenset()


def test_an_agent_may_not_act_under_marketing(policy) -> None:
    assert not policy.role_may_act_under("agent", "marketing")
    assert policy.visible_fields("agent", "marketing") == frozenset()


def test_a_role_the_policy_does_not_name_is_denied_not_crashed(policy) -> None:
    assert not policy.role_may_act_under("system", "service")
    assert policy.visible_fields("system", "service") == frozenset()
    assert not policy.has_capability("system", "staff.manage")


def test_asking_for_an_unknown_role_or_purpose_by_name_raises(policy) -> None:
    with pytest.raises(UnknownRole):
        policy.role("janitor")
    with pytest.raises(UnknownPurpose):
        policy.purpose("profiling")
    with pytest.raises(UnknownPurpose):
        policy.visible_fields("agent", "profiling")
