"""Reading an import file into rows without ever trusting it: CSV with a header, or JSON lines.

Nothing in a file can stop the command with a trace. What is wrong with one row (a cell too
long, a value that is not text, a line that is not JSON, bytes that are not UTF-8, a line
over the limit) rejects that row, named by the file line it starts on, and reading goes on
with the next. Only what leaves no rows to read stops the file (``BadFile``): a binary file,
or a CSV header that cannot be read or names a column twice. Problems name fields and lines,
never a value, and never a column the policy does not declare (it may be a value typed in
the wrong place).

Memory stays bounded: the file is read a line at a time, a line over ``MAX_LINE_BYTES`` is
skipped in chunks without being held, and a CSV cell spanning lines stops growing at the
same limit.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from clientkeep.customers.bulk import ImportRow

# A cell longer than this rejects its row before its value is looked at (no field holds
# anything near it; the policy's own limits are lower).
MAX_CELL_CHARS = 10_000
# A line longer than this rejects its row; it is skipped without being read into memory.
MAX_LINE_BYTES = 1_000_000
CONSENT_COLUMN = "explicit_consent"
JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
_SKIP_CHUNK = 64 * 1024
# How much of the file is looked at to tell text from a binary file (or UTF-16 text).
_SNIFF_BYTES = 8 * 1024
_BOM = b"\xef\xbb\xbf"
LINE = "line"  # the "field" of a problem with the line itself


class BadFile(Exception):
    """The file cannot be read as customers at all; the message names the line, never a
    value."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(f"line {line}: {message}" if line is not None else message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Columns:
    """What the reader needs to know of the columns: which the policy declares (only those
    are named in problems) and which, if any, holds the caller's own id for the customer."""

    declared: frozenset[str]
    external_id: str | None = None

    def where(self, name: str) -> str:
        """How a problem names the column ``name``: as the API names the field."""
        if name == CONSENT_COLUMN or name == self.external_id:
            return name
        return f"fields.{name}" if name in self.declared else "fields"


def is_json_lines(path: Path) -> bool:
    return path.suffix.lower() in JSON_SUFFIXES


def read_rows(path: Path, columns: Columns) -> Iterator[ImportRow]:
    """The file's rows, each with the line it starts on: CSV with a header of field names,
    or JSON lines of {"fields": {...}, "explicit_consent": [...]} or of {...}."""
    with path.open("rb") as handle:
        _refuse_binary(handle)
        if is_json_lines(path):
            yield from _json_rows(handle, columns)
        else:
            with _csv_field_limit(MAX_LINE_BYTES):
                yield from _csv_rows(handle, columns)


def _refuse_binary(handle: BinaryIO) -> None:
    start = handle.read(_SNIFF_BYTES)
    handle.seek(0)
    if b"\x00" in start:
        raise BadFile(
            "the file is not UTF-8 text (a binary file, or text in another encoding such as "
            "UTF-16); save it as UTF-8 CSV or JSON lines"
        )


def _lines(handle: BinaryIO) -> Iterator[tuple[int, str | None, str]]:
    """(line number, text, problem) for each line: the text with its line ending and no
    problem; or, for a line that cannot be read, why not and what stands in for it (the text
    with each undecodable byte replaced, which keeps a CSV line's quotes and commas; None for
    a line too long to hold)."""
    number = 0
    while raw := handle.readline(MAX_LINE_BYTES + 1):
        number += 1
        if number == 1 and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while (rest := handle.readline(_SKIP_CHUNK)) and not rest.endswith(b"\n"):
                pass
            yield number, None, f"The line is longer than {MAX_LINE_BYTES:,} bytes."
            continue
        try:
            yield number, raw.decode("utf-8"), ""
        except UnicodeDecodeError as bad:
            problem = f"The line is not UTF-8 text (byte {bad.start + 1} is not)."
            yield number, raw.decode("utf-8", errors="replace"), problem


@contextmanager
def _csv_field_limit(limit: int) -> Iterator[None]:
    # The limit is the csv module's, for the whole process: put it back afterwards.
    before = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _csv_rows(handle: BinaryIO, columns: Columns) -> Iterator[ImportRow]:
    unreadable: dict[int, str] = {}

    def text() -> Iterator[str]:
        for number, line, problem in _lines(handle):
            if problem:
                # The row this line falls in is rejected for it; what stands in for the line
                # (an empty one if it was too long to hold) keeps the parser going.
                unreadable[number] = problem
            yield "\n" if line is None else line

    reader = csv.reader(text())
    header = _header(reader, unreadable, columns)
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as bad:
            _clear(unreadable, start, reader.line_num)
            yield ImportRow({}, line=start, problems=((LINE, _csv_problem(bad)),))
            continue
        problems = _clear(unreadable, start, reader.line_num)
        if problems:
            yield ImportRow({}, line=start, problems=tuple((LINE, p) for p in problems))
        elif any(cell.strip() for cell in cells):
            yield _csv_row(header, cells, start, columns)


def _header(reader: Iterator[list[str]], unreadable: dict[int, str], columns: Columns) -> list[str]:
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            raise BadFile("the CSV file has no header row naming the fields") from None
        except csv.Error as bad:
            raise BadFile(f"the header row cannot be read: {_csv_problem(bad)}", 1) from None
        if unreadable:
            number, problem = min(unreadable.items())
            raise BadFile(f"the header row cannot be read: {problem}", number)
        if any(cell.strip() for cell in cells):
            break
    names = [cell.strip() for cell in cells]
    for position, name in enumerate(names, start=1):
        if not name:
            raise BadFile(f"column {position} of the header has no name")
        if len(name) > MAX_CELL_CHARS:
            raise BadFile(f"column {position} of the header is too long to be a field name")
        first = names.index(name) + 1
        if first != position:
            raise BadFile(f"columns {first} and {position} of the header have the same name")
    if columns.external_id is not None and columns.external_id not in names:
        raise BadFile(f"the header has no column named {columns.external_id}")
    return names


def _clear(unreadable: dict[int, str], first: int, last: int) -> list[str]:
    """The problems of the unreadable lines from ``first`` to ``last``, forgotten as told."""
    numbers = sorted(n for n in unreadable if first <= n <= last)
    return [unreadable.pop(n) for n in numbers]


def _csv_problem(bad: csv.Error) -> str:
    text = str(bad)
    if "field larger than field limit" in text:
        return f"A cell is longer than {MAX_LINE_BYTES:,} characters (is a quote left open?)."
    return "The line is not valid CSV (check its quotes)."


def _csv_row(header: list[str], cells: list[str], line: int, columns: Columns) -> ImportRow:
    if len(cells) > len(header):
        return ImportRow(
            {},
            line=line,
            problems=(("row", f"The row has {len(cells)} cells; the header names {len(header)}."),),
        )
    fields: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    consent: frozenset[str] = frozenset()
    external_id = "" if columns.external_id is not None else None
    for name, cell in zip(header, cells, strict=False):
        if len(cell) > MAX_CELL_CHARS:
            problems.append((columns.where(name), _too_long()))
        elif name == CONSENT_COLUMN:
            consent = frozenset(n.strip() for n in cell.split(";")) - {""}
        elif name == columns.external_id:
            external_id = cell
        elif cell.strip():
            fields[name] = cell
    return ImportRow(fields, consent, line=line, problems=tuple(problems), external_id=external_id)


def _too_long() -> str:
    return f"The value is too long: use at most {MAX_CELL_CHARS:,} characters."


def _json_rows(handle: BinaryIO, columns: Columns) -> Iterator[ImportRow]:
    for number, line, problem in _lines(handle):
        if line is None or problem:
            yield ImportRow({}, line=number, problems=((LINE, problem),))
        elif line.strip():
            yield _json_row(line, number, columns)


def _json_row(line: str, number: int, columns: Columns) -> ImportRow:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as bad:
        return _line_problem(number, f"The line is not valid JSON (column {bad.colno}).")
    except RecursionError:
        return _line_problem(number, "The line nests too deeply to be a row.")
    except ValueError:
        # Python refuses to read integers of more than 4,300 digits.
        return _line_problem(number, "The line holds a number too long to read.")
    if not isinstance(data, dict):
        return _line_problem(number, "The line is not a JSON object of field names to values.")
    nested = "fields" in data
    given = data["fields"] if nested else data
    if not isinstance(given, dict):
        return ImportRow(
            {}, line=number, problems=(("fields", "Give fields as an object of names to text."),)
        )
    fields: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    for name, value in given.items():
        if name == CONSENT_COLUMN or name == columns.external_id or value is None:
            continue
        if not isinstance(value, str):
            if name in columns.declared:
                problems.append((columns.where(name), _not_text(value)))
            else:
                fields[name] = ""  # counted as undeclared, like any other
        elif len(value) > MAX_CELL_CHARS:
            problems.append((columns.where(name), _too_long()))
        else:
            fields[name] = value
    consent = _json_consent(data.get(CONSENT_COLUMN) if nested else given.get(CONSENT_COLUMN))
    if consent is None:
        problems.append(
            (CONSENT_COLUMN, 'Give explicit_consent as a list of field names, such as ["a"].')
        )
    external_id = _json_external_id(given, data, columns, problems)
    return ImportRow(
        fields,
        consent or frozenset(),
        line=number,
        problems=tuple(problems),
        external_id=external_id,
    )


def _line_problem(number: int, message: str) -> ImportRow:
    return ImportRow({}, line=number, problems=((LINE, message),))


def _not_text(value: object) -> str:
    kind = (
        "true or false"
        if isinstance(value, bool)
        else "a number"
        if isinstance(value, int | float)
        else "a list"
        if isinstance(value, list)
        else "an object"
    )
    return f"Give the value as text in quotes, not {kind}."


def _json_consent(value: object) -> frozenset[str] | None:
    """The consent given, or None when it is not a list of names."""
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None
    if any(len(v) > MAX_CELL_CHARS for v in value):
        return None
    return frozenset(v.strip() for v in value) - {""}


def _json_external_id(
    given: dict[str, object],
    data: dict[str, object],
    columns: Columns,
    problems: list[tuple[str, str]],
) -> str | None:
    name = columns.external_id
    if name is None:
        return None
    value = given.get(name, data.get(name))
    if value is None:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str) and len(value) <= MAX_CELL_CHARS:
        return value
    problems.append((name, "Give the id as text or a whole number."))
    return None
