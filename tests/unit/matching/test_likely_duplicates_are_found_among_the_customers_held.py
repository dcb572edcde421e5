"""The duplicate finder looks up the customers sharing an email, a phone, a postcode or a
date of birth with the candidate, and keeps those the rules judge one person: same email or
phone, or a similar name with the same postcode or date of birth."""

from __future__ import annotations

import pytest

from clientkeep.matching.duplicates import likely_duplicates
from tests.unit.conftest import ADA, GRACE, JOHN

# Stored (normalised) values, as registration hands them to the finder.
CANDIDATE = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada.lovelace@example.com",
    "phone": "+442079460018",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1985-12-10",
}


@pytest.fixture
def book(register):
    return {name: register(p).customer for name, p in (("john", JOHN), ("grace", GRACE))}


def found(uow, policy, candidate, **options):
    with uow.reading():
        return {
            d.customer.id: d.reasons
            for d in likely_duplicates(candidate, uow=uow, policy=policy, **options)
        }


@pytest.mark.parametrize(
    ("held", "reason"),
    [
        ({**GRACE, "email": "Ada.Lovelace@example.com"}, "same email"),
        ({**GRACE, "phone": "020 7946 0018"}, "same phone"),
        (
            {**GRACE, "given_name": "Ada", "family_name": "Lovelase", "postcode": "SW1A 1AA"},
            "similar name and same postcode",
        ),
        (
            {
                "given_name": "Adah",
                "family_name": "Lovelace",
                "date_of_birth": "1985-12-10",
                "email": "other@example.org",
            },
            "similar name and same date of birth",
        ),
    ],
    ids=["email", "phone", "name and postcode", "name and date of birth"],
)
def test_a_record_the_rules_judge_the_same_person_is_found(
    uow, policy, register, book, held, reason
) -> None:
    other = register(held).customer
    assert reason in found(uow, policy, CANDIDATE)[other.id]
    assert book["john"].id not in found(uow, policy, CANDIDATE)


def test_the_same_name_at_another_postcode_and_birthday_is_not_a_duplicate(
    uow, policy, register
) -> None:
    register(
        {
            **ADA,
            "email": "a@b.org",
            "phone": "07700 123456",
            "postcode": "M1 1AE",
            "date_of_birth": "1990-01-01",
        }
    )
    assert found(uow, policy, CANDIDATE) == {}


def test_a_different_person_at_the_same_postcode_is_not_a_duplicate(uow, policy, register) -> None:
    register({**GRACE, "given_name": "Charles", "family_name": "Babbage", "postcode": "SW1A 1AA"})
    assert found(uow, policy, CANDIDATE) == {}


def test_the_record_being_checked_is_left_out(uow, policy, register) -> None:
    ada = register(ADA).customer
    assert ada.id in found(uow, policy, CANDIDATE)
    assert found(uow, policy, CANDIDATE, exclude=ada.id) == {}


def test_only_the_fields_compared_or_shown_in_a_warning_are_opened(uow, policy, register) -> None:
    register(ADA)
    with uow.reading():
        (match,) = likely_duplicates(CANDIDATE, uow=uow, policy=policy)
    assert "address_line1" not in match.customer.fields
    assert "town" not in match.customer.fields
    # The reference is opened to tell two people of one name apart in the warning.
    assert "customer_reference" in match.customer.fields


def test_a_candidate_with_nothing_to_look_up_finds_no_one(uow, policy, register) -> None:
    register(ADA)
    assert found(uow, policy, {"given_name": "Ada", "family_name": "Lovelace"}) == {}
