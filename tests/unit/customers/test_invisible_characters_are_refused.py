"""Invisible and control characters are refused in every type of field, naming the character
and where it is: a name holding U+202E reads backwards, one holding U+200B looks like another
name yet matches nothing."""

from __future__ import annotations

from datetime import date

import pytest

from clientkeep.customers import values
from clientkeep.policy.loader import load_policy
from clientkeep.shared.errors import InvalidInput

FIELDS = load_policy().fields
TODAY = date(2026, 11, 23)


def refusal(field: str, raw: str) -> str:
    with pytest.raises(InvalidInput) as refused:
        values.normalise(FIELDS[field], raw, today=TODAY)
    ((where, message),) = refused.value.errors
    assert where == field
    return message


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
        ("\u202a", "LEFT-TO-RIGHT EMBEDDING"),
        ("\u2066", "LEFT-TO-RIGHT ISOLATE"),
        ("\u2069", "POP DIRECTIONAL ISOLATE"),
        ("\u200b", "ZERO WIDTH SPACE"),
        ("\u200c", "ZERO WIDTH NON-JOINER"),
        ("\u200d", "ZERO WIDTH JOINER"),
        ("\ufeff", "ZERO WIDTH NO-BREAK SPACE"),
        ("\u00ad", "SOFT HYPHEN"),
    ],
)
def test_a_format_character_is_named_with_its_position(char, name) -> None:
    message = refusal("given_name", f"Ada{char}m")
    assert message == f"Remove the invisible character (U+{ord(char):04X} {name}) at position 4."


@pytest.mark.parametrize(
    "field",
    ["given_name", "family_name", "address_line1", "town", "email", "phone", "postcode",
     "date_of_birth", "preferred_contact", "country", "accessibility_needs"],
)  # fmt: skip
def test_every_type_of_field_refuses_them(field) -> None:
    assert "U+202E RIGHT-TO-LEFT OVERRIDE" in refusal(field, "\u202eabc")


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x0b", "\x1c"])
def test_control_characters_are_refused_also_where_they_count_as_space(char) -> None:
    message = refusal("address_line1", f"12{char}Example Street")
    assert message == f"Remove the invisible character (U+{ord(char):04X} CONTROL CHARACTER) " \
        "at position 3."  # fmt: skip


def test_lone_surrogates_and_private_use_characters_are_refused() -> None:
    assert "U+D800" in refusal("town", "Lon\ud800don")
    assert "U+E000" in refusal("town", "Lon\ue000don")


def test_tabs_and_line_breaks_are_folded_into_spaces_as_before() -> None:
    stored = values.normalise(FIELDS["address_line1"], "12\tExample\r\nStreet", today=TODAY)
    assert stored == "12 Example Street"


@pytest.mark.parametrize(
    ("field", "raw"),
    [("family_name", "Ng\u00fcyen"), ("given_name", "Zo\u00eb"), ("town", "Caf\u00e9 Row"),
     ("given_name", "\u674e"), ("address_line1", "12\u00a0Example Street")],
)  # fmt: skip
def test_visible_letters_of_any_script_and_no_break_spaces_are_kept(field, raw) -> None:
    assert values.normalise(FIELDS[field], raw, today=TODAY)
