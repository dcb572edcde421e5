"""A report runs over UK months: by default the last twelve, this month included."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clientkeep.feedback.reports import month_range, months_between
from clientkeep.shared.errors import InvalidInput


def test_the_default_is_the_last_twelve_uk_months() -> None:
    # 00:30 on 1 December in the UK is still 30 November in UTC... and the other way round
    # in summer: 23:30 UTC on 31 July is 1 August in the UK.
    assert month_range(None, None, datetime(2026, 7, 31, 23, 30, tzinfo=UTC)) == (
        "2025-09",
        "2026-08",
    )


def test_months_between_crosses_a_year() -> None:
    assert months_between("2025-11", "2026-02") == ["2025-11", "2025-12", "2026-01", "2026-02"]


@pytest.mark.parametrize(("first", "last"), [("2026-1", None), ("2026-05", "2026-04")])
def test_a_bad_range_is_refused(first, last) -> None:
    with pytest.raises(InvalidInput):
        month_range(first, last, datetime(2026, 11, 23, tzinfo=UTC))
