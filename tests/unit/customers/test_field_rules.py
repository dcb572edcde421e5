"""Each field type's rule: what is accepted, how it is stored, how it is refused."""

from __future__ import annotations

from datetime import date

import pytest

from clientkeep.customers import values
from clientkeep.policy.loader import load_policy
from clientkeep.shared.errors import InvalidInput

FIELDS = load_policy().fields
TODAY = date(2026, 11, 23)


def norm(field: str, raw: str) -> str:
    return values.normalise(FIELDS[field], raw, today=TODAY)


@pytest.mark.parametrize(
    ("field", "raw", "stored"),
    [
        ("email", "Ada.Lovelace@EXAMPLE.com", "Ada.Lovelace@example.com"),
        ("phone", "020 7946 0018", "+442079460018"),
        ("phone", "+44 (0)20 7946 0018", "+442079460018"),
        ("phone", "0044 20 7946 0018", "+442079460018"),
        ("phone", "+33 1 23 45 67 89", "+33123456789"),
        ("postcode", "sw1a1aa", "SW1A 1AA"),
        ("postcode", "  ec1a   1bb ", "EC1A 1BB"),
        ("postcode", "gir0aa", "GIR 0AA"),
        ("given_name", "  de la   Cruz ", "de la Cruz"),
        ("family_name", "O\u2019Neill", "O\u2019Neill"),
        ("family_name", "ffrench", "ffrench"),
        ("family_name", "Mu\u0308ller", "M\u00fcller"),
        ("date_of_birth", "10/12/1985", "1985-12-10"),
        ("date_of_birth", "1985-12-10", "1985-12-10"),
        ("preferred_contact", "SMS", "sms"),
        ("country", "united kingdom", "GB"),
        ("country", "fr", "FR"),
    ],
)
def test_good_values_are_stored_in_one_canonical_form(field, raw, stored) -> None:
    assert norm(field, raw) == stored


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("email", "not-an-email"),
        ("email", "two@@example.com"),
        ("phone", "12345"),
        ("phone", "020 7946 001"),
        ("postcode", "NW9 9"),
        ("postcode", "QQ1 1AA"),
        ("given_name", "R2D2"),
        ("given_name", "Ada\x00"),
        ("date_of_birth", "31/02/1990"),
        ("date_of_birth", "2030-01-01"),
        ("date_of_birth", "1850-01-01"),
        ("preferred_contact", "carrier pigeon"),
        ("country", "Atlantis"),
        ("town", "   "),
        ("town", "x" * 5000),
    ],
)
def test_bad_values_are_refused_naming_the_field_not_the_value(field, raw) -> None:
    with pytest.raises(InvalidInput) as caught:
        norm(field, raw)
    assert caught.value.errors[0][0] == field
    if raw.strip():
        assert raw.strip() not in caught.value.errors[0][1]


def test_uk_phones_are_shown_in_national_format_others_internationally() -> None:
    assert values.display(FIELDS["phone"], "+442079460018") == "020 7946 0018"
    assert values.display(FIELDS["phone"], "+33123456789") == "+33 1 23 45 67 89"


@pytest.mark.parametrize(("a", "b"), [("Jon", "John"), ("Smyth", "Smith")])
def test_sound_alike_names_share_a_phonetic_code(a, b) -> None:
    assert values.phonetic(a.lower()) == values.phonetic(b.lower())


def test_a_nickname_searches_for_the_full_name_too() -> None:
    terms = values.query_terms("name", "Bill")
    assert ("name_phonetic", values.phonetic("william")) in terms


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("ada@example.com", "email"),
        ("sw1a 1aa", "postcode"),
        ("020 7946 0018", "phone"),
        ("+44 7700 123456", "phone"),
        ("Ada Lovelace", "name"),
    ],
)
def test_one_search_box_tells_what_it_holds(text, kind) -> None:
    assert values.classify_query(text) == kind
