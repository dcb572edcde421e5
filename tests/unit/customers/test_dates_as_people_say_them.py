"""A date is taken in the ways staff type what a customer says (day first, as the UK writes
it; a month by name; ISO), and anything else, or a day that does not exist, is refused."""

from __future__ import annotations

from datetime import date

import pytest

from clientkeep.customers import values
from clientkeep.policy.loader import load_policy
from clientkeep.shared.errors import InvalidInput

BIRTH = load_policy().fields["date_of_birth"]
TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "14/03/1979",
        "14/3/1979",
        "14.03.1979",
        "14-03-1979",
        "1979-03-14",
        "1979-3-14",
        "14 March 1979",
        "14th March 1979",
        "14 mar 1979",
        "14 Mar. 1979",
        "March 14, 1979",
        "  14   MARCH   1979 ",
    ],
)
def test_each_way_of_writing_the_date_is_the_same_date(typed: str) -> None:
    assert values.normalise(BIRTH, typed, today=TODAY) == "1979-03-14"


@pytest.mark.parametrize(
    "typed",
    [
        "31/02/1979",
        "14 Marsh 1979",
        "03/14/1979",
        "1979/03/14",
        "14 March",
        "yesterday",
        "14031979",
    ],
)
def test_a_date_that_cannot_be_read_or_does_not_exist_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        values.normalise(BIRTH, typed, today=TODAY)
    assert refused.value.errors == [
        ("date_of_birth", "Enter a real date, such as 10/12/1985, 10 December 1985 or 1985-12-10.")
    ]
