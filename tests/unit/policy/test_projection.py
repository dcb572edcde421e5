"""One projection per role and purpose decides what may be shown and searched."""

from __future__ import annotations

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "preferred_name": "Countess",
    "postcode": "SW1A 1AA",
}


def test_billing_shows_no_preferred_name_so_the_display_name_does_not_use_it(policy) -> None:
    billing = policy.projection("agent", "billing")
    assert not billing.shows("preferred_name")
    assert billing.display_name(ADA) == "Ada Lovelace"
    assert policy.projection("agent", "service").display_name(ADA) == "Countess Lovelace"


def test_a_purpose_that_does_not_use_phone_numbers_cannot_search_by_one(policy) -> None:
    assert "phone" not in policy.projection("agent", "billing").searchable
    assert "phone" in policy.projection("agent", "service").searchable


def test_a_compare_only_purpose_shows_nothing_but_may_compare(policy) -> None:
    verification = policy.projection("agent", "identity_verification")
    assert verification.shown == frozenset()
    assert {"phone", "date_of_birth"} <= verification.compared
    assert verification.display_name(ADA) is None
    assert "name" not in verification.searchable


def test_a_role_that_sees_no_customer_data_projects_nothing(policy) -> None:
    admin = policy.projection("admin", "service")
    assert admin.shown == admin.compared == admin.searchable == frozenset()


def test_special_category_fields_are_shown_only_to_roles_that_may_see_them(policy) -> None:
    assert not policy.projection("agent", "service").shows("accessibility_needs")
    assert policy.projection("supervisor", "service").shows("accessibility_needs")


def test_projections_are_worked_out_once(policy) -> None:
    assert policy.projection("agent", "service") is policy.projection("agent", "service")
