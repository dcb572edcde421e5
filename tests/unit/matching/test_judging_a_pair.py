"""One person entered twice is judged a likely duplicate; two people who share details are not."""

from __future__ import annotations

from clientkeep.matching.duplicates import compare

ADA = {
    "given_name": "Ada",
    "family_name": "Lovelace",
    "email": "ada.lovelace@example.com",
    "phone": "+442079460018",
    "postcode": "SW1A 1AA",
    "date_of_birth": "1985-12-10",
}
BILL = {
    "given_name": "William",
    "family_name": "Turner",
    "email": "w.turner@example.com",
    "phone": "+447700123456",
    "postcode": "EC1A 1BB",
    "date_of_birth": "1975-04-23",
}


def reasons(first, second):
    verdict = compare(first, second)
    return verdict.reasons if verdict else ()


def test_a_typo_in_the_family_name_with_the_same_birthday_is_found() -> None:
    other = {**ADA, "family_name": "Lovelcae", "email": "ada@example.net", "phone": ""}
    verdict = compare(ADA, other)
    assert verdict is not None
    assert "similar name and same date of birth" in verdict.reasons
    assert 80 <= verdict.score < 100


def test_given_and_family_names_swapped_are_found() -> None:
    other = {**ADA, "given_name": "Lovelace", "family_name": "Ada", "email": "", "phone": ""}
    assert reasons(ADA, other) == (
        "similar name and same postcode",
        "similar name and same date of birth",
    )


def test_a_nickname_is_found() -> None:
    other = {**BILL, "given_name": "Bill", "email": "bill@example.org", "phone": ""}
    verdict = compare(BILL, other)
    assert verdict is not None and verdict.score == 100
    assert "similar name and same date of birth" in verdict.reasons


def test_the_same_phone_however_it_was_typed_is_found() -> None:
    # Values arrive normalised: "020 7946 0018" and "+44 20 7946 0018" are both E.164.
    other = {**ADA, "email": "someone@example.org", "postcode": "", "date_of_birth": ""}
    verdict = compare(ADA, other)
    assert verdict is not None
    assert verdict.reasons == ("same phone",) and verdict.score == 100


def test_a_new_email_domain_with_the_same_phone_is_found() -> None:
    other = {**ADA, "email": "ada.lovelace@example.org"}
    assert reasons(ADA, other)[0] == "same phone"


def test_the_email_compares_without_case() -> None:
    other = {**BILL, "email": "W.Turner@example.com", "phone": "+447700999999"}
    assert reasons(BILL, other)[0] == "same email"


def test_a_missing_email_still_finds_the_person() -> None:
    other = {k: v for k, v in ADA.items() if k != "email"}
    assert reasons(ADA, other)[0] == "same phone"
    without_contact = {k: v for k, v in other.items() if k != "phone"}
    assert "similar name and same date of birth" in reasons(ADA, without_contact)


def test_different_people_at_one_address_born_the_same_day_are_not_found() -> None:
    other = {
        **ADA,
        "given_name": "Mary",
        "family_name": "Shelley",
        "email": "mary@example.org",
        "phone": "+447700123403",
    }
    assert compare(ADA, other) is None


def test_a_shared_family_name_and_birthday_are_not_enough() -> None:
    karen = {**ADA, "given_name": "Karen", "family_name": "Taylor", "email": "", "phone": ""}
    marie = {**karen, "given_name": "Marie", "postcode": "G60 7BN"}
    assert compare(karen, marie) is None


def test_a_middle_name_given_once_still_agrees() -> None:
    other = {**BILL, "given_name": "William Henry", "email": "", "phone": ""}
    assert "similar name and same date of birth" in reasons(BILL, other)


def test_a_similar_name_with_nothing_else_in_common_is_not_enough() -> None:
    other = {**BILL, "given_name": "Ada", "family_name": "Lovelace"}
    assert compare(ADA, other) is None


def test_the_same_name_at_a_different_postcode_and_birthday_is_not_found() -> None:
    other = {**ADA, "email": "", "phone": "", "postcode": "M1 1AE", "date_of_birth": "1990-01-01"}
    assert compare(ADA, other) is None
