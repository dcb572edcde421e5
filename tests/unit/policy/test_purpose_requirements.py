"""A purpose says what a record needs: both names and one way to reach the customer."""

from __future__ import annotations


def test_names_and_an_email_satisfy_service(policy) -> None:
    assert policy.purpose("service").missing({"given_name", "family_name", "email"}) == ()


def test_a_whole_postal_address_counts_as_a_way_to_reach_them(policy) -> None:
    present = {"given_name", "family_name", "address_line1", "town", "postcode"}
    assert policy.purpose("service").missing(present) == ()


def test_part_of_an_address_is_not_enough(policy) -> None:
    missing = policy.purpose("service").missing({"given_name", "family_name", "town"})
    assert missing == ("one of: email or phone or address_line1+town+postcode",)


def test_a_missing_name_is_named(policy) -> None:
    assert policy.purpose("service").missing({"given_name", "phone"}) == ("family_name",)
