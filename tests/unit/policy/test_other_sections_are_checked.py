"""Verification, staleness, staff rules, customer references and the controller are checked."""

from __future__ import annotations

from tests.unit.policy.conftest import problems_of

KNOWLEDGE = 'fields = ["date_of_birth", "postcode", "customer_reference", "phone"]'
ALPHABET = 'alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"'


def test_verification_by_a_field_that_would_be_shown() -> None:
    problems = problems_of((KNOWLEDGE, KNOWLEDGE.replace('"postcode"', '"email"')))
    assert "not compare_only in any purpose" in problems["verification.knowledge.fields[1]"]


def test_verification_by_an_undeclared_field() -> None:
    problems = problems_of((KNOWLEDGE, KNOWLEDGE.replace('"postcode"', '"pin"')))
    assert problems["verification.knowledge.fields[1]"] == "'pin' is not a declared field"


def test_verification_needing_more_matches_than_fields() -> None:
    problems = problems_of(("min_matches = 2", "min_matches = 5"))
    assert (
        "cannot exceed the number of fields (4)" in problems["verification.knowledge.min_matches"]
    )


def test_staleness_for_an_undeclared_field() -> None:
    problems = problems_of(("email = 365\n", "e_mail = 365\n"))
    assert problems["staleness.per_field_days.e_mail"] == "'e_mail' is not a declared field"


def test_a_staleness_period_that_is_not_positive() -> None:
    problems = problems_of(("default_days = 365", "default_days = 0"))
    assert problems["staleness.default_days"] == "must be at least 1, not 0"


def test_staff_rules_must_be_positive() -> None:
    problems = problems_of(("lockout_minutes = 15", "lockout_minutes = -5"))
    assert problems["staff.lockout_minutes"] == "must be at least 1, not -5"


def test_a_password_length_below_eight() -> None:
    problems = problems_of(("min_password_length = 12", "min_password_length = 6"))
    assert problems["staff.min_password_length"] == "must be at least 8, not 6"


def test_a_reference_alphabet_with_characters_easily_misread() -> None:
    problems = problems_of((ALPHABET, 'alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"'))
    assert problems["customer_reference.alphabet"] == "holds characters easily misread: 0 1 I L O"


def test_a_reference_alphabet_too_short_to_guess() -> None:
    problems = problems_of((ALPHABET, 'alphabet = "23456789"'))
    assert "at least 20 characters" in problems["customer_reference.alphabet"]


def test_a_reference_alphabet_with_a_repeated_character() -> None:
    problems = problems_of((ALPHABET, 'alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZZ"'))
    assert "more than once" in problems["customer_reference.alphabet"]


def test_a_reference_prefix_in_lower_case_and_a_short_length() -> None:
    problems = problems_of(('prefix = "CK"\nlength = 8', 'prefix = "ck"\nlength = 3'))
    assert problems["customer_reference.prefix"] == "must be 1 to 6 capital letters"
    assert problems["customer_reference.length"] == "must be at least 6, not 3"


def test_an_empty_controller_name() -> None:
    problems = problems_of(('name = "Example Trading Ltd"', 'name = "  "'))
    assert problems["controller.name"] == "must not be empty"


def test_an_unknown_top_level_section() -> None:
    problems = problems_of(('version = "2026.1"', 'version = "2026.1"\nverison = "2"'))
    assert problems["verison"] == "unknown key (is it misspelt?)"
