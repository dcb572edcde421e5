"""Roles may name only declared purposes and known capabilities, and must be consistent."""

from __future__ import annotations

from tests.unit.policy.conftest import problems_of

AGENT_PURPOSES = 'purposes = ["service", "billing", "complaints", "identity_verification"]'
ADMIN_PURPOSES = "purposes = []\nmay_see_special = false\nsees_customer_data = false"


def test_a_role_naming_an_unknown_purpose() -> None:
    problems = problems_of((AGENT_PURPOSES, AGENT_PURPOSES.replace('"billing"', '"biling"')))
    assert problems["roles.agent.purposes[1]"] == "'biling' is not a declared purpose"


def test_an_unknown_capability() -> None:
    problems = problems_of(('"keys.manage"]', '"keys.destroy"]'))
    assert "unknown capability 'keys.destroy'" in problems["roles.admin.capabilities[2]"]


def test_a_role_that_sees_no_customer_data_cannot_have_purposes() -> None:
    problems = problems_of((ADMIN_PURPOSES, ADMIN_PURPOSES.replace("[]", '["service"]')))
    assert "cannot act under a purpose" in problems["roles.admin.purposes"]


def test_a_role_that_sees_no_customer_data_cannot_see_special_category_data() -> None:
    problems = problems_of(
        (
            ADMIN_PURPOSES,
            ADMIN_PURPOSES.replace("may_see_special = false", "may_see_special = true"),
        )
    )
    assert "cannot see special" in problems["roles.admin.may_see_special"]


def test_a_role_that_sees_customer_data_needs_a_purpose() -> None:
    problems = problems_of((AGENT_PURPOSES, "purposes = []"))
    assert "at least one purpose" in problems["roles.agent.purposes"]


def test_a_boolean_given_as_a_string() -> None:
    problems = problems_of((ADMIN_PURPOSES, ADMIN_PURPOSES.replace("= false", '= "no"', 1)))
    assert problems["roles.admin.may_see_special"] == "must be true or false, not a string"


def test_some_role_must_be_able_to_manage_staff() -> None:
    problems = problems_of(
        ('["staff.manage", "policy.manage", "keys.manage"]', '["policy.manage", "keys.manage"]')
    )
    assert "nobody could manage staff" in problems["roles"]


def test_no_role_may_be_called_system() -> None:
    problems = problems_of(("[roles.admin]", "[roles.system]"))
    assert "reserved for the software itself" in problems["roles.system"]
