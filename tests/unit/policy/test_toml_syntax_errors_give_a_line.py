"""A file that is not TOML is reported with the line (and column) where it breaks."""

from __future__ import annotations

from clientkeep.policy import check_policy
from tests.unit.policy.conftest import DEFAULT_TEXT, edited


def test_a_syntax_error_names_its_line_and_column() -> None:
    text = edited(('prefix = "CK"', 'prefix = "CK'))
    line = text.splitlines().index('prefix = "CK') + 1
    [problem] = check_policy(text)
    assert problem.location.startswith(f"line {line}, column")
    assert problem.message.startswith("TOML syntax:")


def test_a_key_given_twice_is_a_syntax_error_on_its_second_line() -> None:
    text = edited(("lockout_minutes = 15", "lockout_minutes = 15\nlockout_minutes = 20"))
    line = text.splitlines().index("lockout_minutes = 20") + 1
    [problem] = check_policy(text)
    assert problem.location.startswith(f"line {line},")


def test_a_file_cut_short_is_reported_at_its_last_line() -> None:
    text = DEFAULT_TEXT + "\nbroken = [\n"
    [problem] = check_policy(text)
    assert problem.location == f"line {text.count(chr(10)) + 1}"
    assert "end of the file" in problem.message
