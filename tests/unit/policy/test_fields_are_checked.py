"""Each field declaration is checked: types, categories, choices, special category kind."""

from __future__ import annotations

from tests.unit.policy.conftest import problems_of

DOB = 'type = "date"\ncategory = "personal"\nlabel = "Date of birth"'


def test_an_unknown_field_type() -> None:
    problems = problems_of((DOB, DOB.replace('"date"', '"datetime"')))
    assert "unknown type 'datetime'" in problems["fields.date_of_birth.type"]


def test_an_unknown_category() -> None:
    problems = problems_of((DOB, DOB.replace('"personal"', '"private"')))
    assert "unknown category 'private'" in problems["fields.date_of_birth.category"]


def test_an_enum_field_without_choices() -> None:
    problems = problems_of(('choices = ["email", "phone", "post", "sms"]\n', ""))
    assert "must list its choices" in problems["fields.preferred_contact.choices"]


def test_an_enum_field_with_no_choices_at_all() -> None:
    problems = problems_of(('["email", "phone", "post", "sms"]', "[]"))
    assert "at least one choice" in problems["fields.preferred_contact.choices"]


def test_choices_on_a_field_that_is_not_an_enum() -> None:
    problems = problems_of((DOB, DOB + '\nchoices = ["a"]'))
    assert "only an enum field" in problems["fields.date_of_birth.choices"]


def test_a_special_category_field_must_say_its_kind() -> None:
    problems = problems_of(('special_kind = "health"\n', ""))
    assert "must say its kind" in problems["fields.accessibility_needs.special_kind"]


def test_an_unknown_special_kind() -> None:
    problems = problems_of(('special_kind = "health"', 'special_kind = "shoe_size"'))
    assert "unknown special category kind" in problems["fields.accessibility_needs.special_kind"]


def test_a_misspelt_key_is_not_ignored() -> None:
    problems = problems_of((DOB, DOB.replace("label", "lable")))
    assert problems["fields.date_of_birth.lable"] == "unknown key (is it misspelt?)"
    assert problems["fields.date_of_birth"] == "missing key 'label'"


def test_a_value_of_the_wrong_type() -> None:
    problems = problems_of(("max_length = 254", 'max_length = "254"'))
    assert problems["fields.email.max_length"] == "must be an integer, not a string"


def test_a_length_that_is_not_positive() -> None:
    problems = problems_of(("max_length = 254", "max_length = 0"))
    assert problems["fields.email.max_length"] == "must be at least 1, not 0"


def test_a_field_name_with_capitals() -> None:
    problems = problems_of(("[fields.town]", "[fields.Town]"))
    assert "lower case" in problems["fields.Town"]


def test_a_field_no_purpose_uses() -> None:
    problems = problems_of(
        (
            "[fields.town]",
            '[fields.shoe_size]\ntype = "text"\ncategory = "personal"\n'
            'label = "Shoe size"\ndescription = "Why?"\n\n[fields.town]',
        ),
    )
    assert "no purpose uses this field" in problems["fields.shoe_size"]
