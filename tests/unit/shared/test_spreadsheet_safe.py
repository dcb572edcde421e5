"""CSV cells a spreadsheet would evaluate are written as text (the OWASP CSV injection rule)."""

from __future__ import annotations

import csv
import io

import pytest

from clientkeep.shared.spreadsheet_safe import neutralise_cell, neutralise_row


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://example.com","x")', "+44 20 7946 0018", "-London", "@SUM(A1)",
     "\tTab", "\rReturn", "=", "-"],
)  # fmt: skip
def test_a_value_a_spreadsheet_would_evaluate_gets_a_quote_in_front(value) -> None:
    assert neutralise_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Ada", "12 Example Street", "", " =not first", "'quoted", "a=b"])
def test_any_other_value_is_left_as_it_is(value) -> None:
    assert neutralise_cell(value) == value


def test_a_written_row_opens_as_text(tmp_path) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(neutralise_row(["Ada", "=1+1", "@cmd"]))
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["Ada", "'=1+1", "'@cmd"]
