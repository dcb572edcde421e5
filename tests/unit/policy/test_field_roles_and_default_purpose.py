"""The policy says which field plays each part the software needs, and the default purpose;
`policy check` requires them and refuses a wrong one."""

from __future__ import annotations

from clientkeep.policy import parse_policy
from tests.unit.policy.conftest import edited, problems_of

ROLES = """[field_roles]
given_name = "given_name"
family_name = "family_name"
preferred_name = "preferred_name"
email = "email"
phone = "phone"
date_of_birth = "date_of_birth"
postcode = "postcode"
reference = "customer_reference"
"""


def test_the_shipped_policy_names_every_part(policy) -> None:
    assert policy.field_roles.as_dict() == {
        "given_name": "given_name",
        "family_name": "family_name",
        "preferred_name": "preferred_name",
        "email": "email",
        "phone": "phone",
        "date_of_birth": "date_of_birth",
        "postcode": "postcode",
        "reference": "customer_reference",
        "contact_notes": "contact_notes",
        "complaint_details": "complaint_details",
        "feedback": "feedback",
    }
    assert policy.default_purpose == "service"


def test_a_part_left_out_is_a_problem() -> None:
    found = problems_of((ROLES, ROLES.replace('email = "email"\n', "")))
    assert found == {"field_roles": "missing key 'email'"}


def test_the_preferred_name_may_be_left_out() -> None:
    policy = parse_policy(edited((ROLES, ROLES.replace('preferred_name = "preferred_name"\n', ""))))
    assert policy.field_roles.preferred_name is None
    assert "preferred_name" not in policy.field_roles.as_dict()


def test_a_part_must_name_a_declared_field_of_its_type() -> None:
    found = problems_of(
        (ROLES, ROLES.replace('phone = "phone"', 'phone = "mobile"')),
    )
    assert found == {"field_roles.phone": "'mobile' is not a declared field"}
    found = problems_of((ROLES, ROLES.replace('postcode = "postcode"', 'postcode = "town"')))
    assert found == {
        "field_roles.postcode": "the postcode must be a field of type postcode, not 'town'"
    }


def test_the_reference_must_be_a_field_clientkeep_sets() -> None:
    found = problems_of(
        (ROLES, ROLES.replace('reference = "customer_reference"', 'reference = "town"'))
    )
    assert found == {
        "field_roles.reference": "'town' must be a system field: clientkeep sets the reference"
    }


def test_one_field_cannot_play_two_parts() -> None:
    found = problems_of(
        (ROLES, ROLES.replace('preferred_name = "preferred_name"', 'preferred_name = "given_name"'))
    )
    assert found == {"field_roles.preferred_name": "'given_name' already plays the given_name part"}


def test_the_default_purpose_must_be_declared_and_show_something() -> None:
    assert problems_of(('default_purpose = "service"', 'default_purpose = "sales"')) == {
        "default_purpose": "'sales' is not a declared purpose"
    }
    assert problems_of(
        ('default_purpose = "service"', 'default_purpose = "identity_verification"')
    ) == {
        "default_purpose": "'identity_verification' only compares: staff could see nothing under it"
    }
