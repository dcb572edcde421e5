"""The import file reader: rows by the line they start on, a bad line rejecting only its row,
and only a file with nothing readable in it stopping the import."""

from __future__ import annotations

import csv
import json

import pytest

from clientkeep.adapters.cli._import_files import (
    MAX_LINE_BYTES,
    BadFile,
    Columns,
    read_rows,
)

DECLARED = frozenset({"given_name", "family_name", "email", "accessibility_needs"})
COLUMNS = Columns(DECLARED)


def rows(tmp_path, content: bytes, name: str = "people.csv", columns: Columns = COLUMNS):
    path = tmp_path / name
    path.write_bytes(content)
    return list(read_rows(path, columns))


def test_csv_rows_are_numbered_by_the_line_they_start_on(tmp_path) -> None:
    content = (
        "\ufeffgiven_name,family_name\r\n"
        "Ada,Lovelace\r\n"
        '"Grace","Hopper\r\nJr"\r\n'
        "\r\n"
        "Carol,Shaw\r\n"
    ).encode()
    read = rows(tmp_path, content)
    assert [r.line for r in read] == [2, 3, 6]
    assert read[1].fields == {"given_name": "Grace", "family_name": "Hopper\r\nJr"}
    assert all(r.problems == () for r in read)


def test_an_unreadable_line_inside_a_quoted_cell_rejects_the_row_it_falls_in(tmp_path) -> None:
    content = b'given_name,family_name\n"Ada","Love\n\xfflace"\nCarol,Shaw\n'
    first, second = rows(tmp_path, content)
    assert first.line == 2
    assert first.problems == (("line", "The line is not UTF-8 text (byte 1 is not)."),)
    assert (second.line, second.fields) == (4, {"given_name": "Carol", "family_name": "Shaw"})


def test_a_line_over_the_limit_is_skipped_and_the_next_one_read(tmp_path) -> None:
    long = b"Bob," + b"x" * (MAX_LINE_BYTES + 10) + b"\n"
    first, second = rows(tmp_path, b"given_name,family_name\n" + long + b"Carol,Shaw\n")
    assert first.line == 2 and first.problems[0][0] == "line"
    assert "longer than 1,000,000 bytes" in first.problems[0][1]
    assert second.line == 3 and second.fields["given_name"] == "Carol"


def test_a_cell_too_long_is_named_by_its_column_unless_the_policy_does_not_declare_it(
    tmp_path,
) -> None:
    content = ("given_name,shoe_size\n" + "x" * 10_001 + ",9\nAda," + "9" * 10_001 + "\n").encode()
    declared, undeclared = rows(tmp_path, content)
    assert [f for f, _ in declared.problems] == ["fields.given_name"]
    assert [f for f, _ in undeclared.problems] == ["fields"]


def test_reading_leaves_the_csv_modules_own_limit_as_it_was(tmp_path) -> None:
    before = csv.field_size_limit()
    rows(tmp_path, b"given_name\nAda\n")
    assert csv.field_size_limit() == before


def test_a_cell_left_open_to_the_end_of_the_file_is_one_rejected_row(tmp_path) -> None:
    content = b'given_name,family_name\nAda,"Love\n' + b"lace\n" * (MAX_LINE_BYTES // 4)
    read = rows(tmp_path, content)
    assert read[0].line == 2
    assert read[0].problems and read[0].problems[0][0] == "line"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the CSV file has no header row naming the fields"),
        (b"\n\n", "the CSV file has no header row naming the fields"),
        (b"given_name,,email\n", "column 2 of the header has no name"),
        (b"\x00\x01\x02binary", "the file is not UTF-8 text"),
        ("given_name\n".encode("utf-16"), "the file is not UTF-8 text"),
    ],
)
def test_a_file_with_no_readable_header_stops(tmp_path, content, message) -> None:
    with pytest.raises(BadFile, match=message):
        rows(tmp_path, content)


def test_json_lines_in_either_shape_with_consent_and_external_ids(tmp_path) -> None:
    lines = [
        {"fields": {"given_name": "Ada", "accessibility_needs": "Large print"},
         "explicit_consent": ["accessibility_needs"], "crm": 12},
        {"given_name": "Grace", "explicit_consent": ["accessibility_needs"], "crm": "g-1"},
        {"given_name": "Carol", "email": None},
    ]  # fmt: skip
    content = "\n".join(json.dumps(line) for line in lines).encode() + b"\n\n"
    ada, grace, carol = rows(tmp_path, content, "people.jsonl", Columns(DECLARED, "crm"))
    assert ada.explicit_consent == frozenset({"accessibility_needs"})
    assert (ada.external_id, grace.external_id, carol.external_id) == ("12", "g-1", "")
    assert grace.fields == {"given_name": "Grace"}
    assert grace.explicit_consent == frozenset({"accessibility_needs"})
    assert carol.fields == {"given_name": "Carol"}
    assert [r.line for r in (ada, grace, carol)] == [1, 2, 3]


def test_a_json_value_that_is_not_text_is_named_only_if_declared(tmp_path) -> None:
    content = json.dumps({"given_name": ["Ada"], "shoe_size": 9}).encode()
    (row,) = rows(tmp_path, content, "people.jsonl")
    assert row.problems == (("fields.given_name", "Give the value as text in quotes, not a list."),)
    # An undeclared key is left for validation to count, never named.
    assert row.fields == {"shoe_size": ""}
