"""Cells a spreadsheet will not run: the OWASP rule against CSV (formula) injection.

Values are stored as they were given (``+44 20 7946 0018`` is a phone number, ``-`` may
start a line of free text), so the defence belongs where a value leaves as CSV: a cell that a
spreadsheet would read as a formula (``=HYPERLINK(...)``, ``+``, ``-``, ``@``) or that starts
with a tab or carriage return is written with a single quote before it, which spreadsheets
show as text and do not evaluate.
"""

from __future__ import annotations

from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """``value`` as a CSV cell no spreadsheet evaluates."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def neutralise_row(values: Iterable[str]) -> list[str]:
    """Every cell of a row, neutralised: for ``csv.writer.writerow``."""
    return [neutralise_cell(value) for value in values]
