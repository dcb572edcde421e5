"""The note checker's misses: ordinary notes that look a little like a hit are not one."""

from __future__ import annotations

import pytest

from clientkeep.interactions.note_check import check


@pytest.mark.parametrize(
    "text",
    [
        "order number 4111111111111112 was late",  # fails the Luhn check
        "call back on 07700900123 after five",  # an 11-digit UK phone number
        "visited on 12-03-24 about the bill",  # a date, with no sort-code words
        "works in hospitality, order cancelled",  # whole words only
        "the password was reset by the customer",  # says what happened, not what it is
        "reference 12345678 quoted",  # eight digits with no account words
        "NI number asked for: QQ123456C",  # a prefix never issued
        "spelled BG123456A",  # another never issued
        "asked for a pinpoint date",
    ],
)
def test_an_ordinary_note_has_no_hits(text: str) -> None:
    assert check("nature", text) == []
