"""`clientkeep customer import FILE`: bulk registration from CSV or JSON lines."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress

from clientkeep.adapters.cli._common import cli_errors, container, err, fail, out
from clientkeep.adapters.cli.customers import AsUser, Purpose, acting_as
from clientkeep.customers import bulk
from clientkeep.customers.values import UNLISTED_MESSAGE

CONSENT_COLUMN = "explicit_consent"
SHOWN_REJECTIONS = 20


class BadFile(Exception):
    """The file cannot be read as customers; the message names the line, never a value."""


def read_rows(path: Path) -> Iterator[bulk.ImportRow]:
    """CSV with a header of field names, or JSON lines of {"fields": {...}} or {...}."""
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        yield from _json_lines(path)
    else:
        yield from _csv_rows(path)


def _csv_rows(path: Path) -> Iterator[bulk.ImportRow]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames:
            raise BadFile("the CSV file has no header row naming the fields")
        for row in reader:
            if None in row:
                raise BadFile(f"line {reader.line_num} has more cells than the header")
            consent = {c.strip() for c in (row.pop(CONSENT_COLUMN, "") or "").split(";")}
            fields = {k.strip(): v for k, v in row.items() if v is not None and v.strip()}
            yield bulk.ImportRow(fields, frozenset(consent - {""}), line=reader.line_num)


def _json_lines(path: Path) -> Iterator[bulk.ImportRow]:
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                raise BadFile(f"line {number} is not valid JSON") from None
            fields = data.get("fields", data) if isinstance(data, dict) else None
            if not isinstance(fields, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in fields.items()
            ):
                raise BadFile(f"line {number} is not an object of field names to text values")
            consent = data.get(CONSENT_COLUMN, []) if "fields" in data else []
            fields = {k: v for k, v in fields.items() if k != CONSENT_COLUMN}
            yield bulk.ImportRow(fields, frozenset(consent), line=number)


def import_file(
    file: Annotated[Path, typer.Argument(help="CSV with a header row, or .jsonl.")],
    as_user: AsUser,
    purpose: Purpose,
    source: Annotated[str, typer.Option("--source", help="How the details came.")] = "import",
    batch: Annotated[int, typer.Option("--batch", help="Rows per transaction.")] = 1000,
    accept_unlisted_phones: Annotated[
        bool,
        typer.Option(
            "--accept-unlisted-phones",
            help="Keep phone numbers in no range known to be in use (checked with the "
            "customers); without it their rows are reported and not saved.",
        ),
    ] = False,
) -> None:
    """Register many customers from a file. Valid rows are saved in batches; a row with a
    problem is reported by its number and not saved. Run `customer find-duplicates` after."""
    if not file.is_file():
        fail(f"no such file: {file}", 2)
    c = container()
    actor = acting_as(c, as_user)
    saved = 0

    def batch_done(done: int, ids: list[str | None]) -> None:
        nonlocal saved
        saved += sum(i is not None for i in ids)
        progress.update(task, completed=done)

    try:
        with cli_errors(), Progress(transient=True, console=err) as progress:
            task = progress.add_task("Importing customers", total=None)
            report = bulk.import_customers(
                bulk.ImportCustomers(
                    purpose=purpose,
                    source=source,
                    batch_size=batch,
                    accept_unlisted_phones=accept_unlisted_phones,
                ),
                read_rows(file),
                uow=c.uow,
                actor=actor,
                policy=c.policy,
                clock=c.clock,
                on_batch=batch_done,
            )
    except (BadFile, UnicodeDecodeError) as problem:
        # Batches before the unreadable line are committed; say so rather than leave a doubt.
        fail(f"{file.name}: {problem}; {saved} customers from earlier lines were saved", 2)
    out.print(f"imported {report.imported} customers", highlight=False)
    if report.rejected_count:
        for rejected in report.rejected[:SHOWN_REJECTIONS]:
            problems = "; ".join(f"{field}: {message}" for field, message in rejected.errors)
            where = f" (line {rejected.line})" if rejected.line is not None else ""
            err.print(f"row {rejected.row}{where}: {problems}", highlight=False, soft_wrap=True)
        more = report.rejected_count - min(len(report.rejected), SHOWN_REJECTIONS)
        if more:
            err.print(f"... and {more} more rows with problems", highlight=False)
        if any(m == UNLISTED_MESSAGE for r in report.rejected for _, m in r.errors):
            err.print(
                "rows with unlisted phone numbers can be kept with --accept-unlisted-phones "
                "once the numbers are checked",
                highlight=False,
            )
        fail(f"{report.rejected_count} rows had problems and were not saved", 2)
