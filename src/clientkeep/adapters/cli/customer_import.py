"""`clientkeep customer import FILE`: bulk registration from CSV or JSON lines.

Every problem is named by the file line its row starts on; nothing in a file ends the command
with a trace. A file that cannot be read at all, or a failure of the database part way, stops
the import with one line saying how many customers were already saved. A row imported before
(by this file or an earlier run) is skipped and named with the customer it made.

Only the standard library, typer and the shared CLI helpers are imported here: the rest is
imported when the command runs, so `clientkeep --help` stays quick.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from clientkeep.adapters.cli._common import cli_errors, container, err, fail, out

if TYPE_CHECKING:
    from collections.abc import Sequence

    from clientkeep.adapters.cli._progress import Tracker
    from clientkeep.customers.bulk import RowOutcome

# How many problems, and rows already imported, the text report lists; --json lists all.
SHOWN_ROWS = 20


def _shown_field(where: str) -> str:
    """A problem's field as the file has it: the column name, not the API's ``fields.x``."""
    return where.removeprefix("fields.")


def _as_json(outcome: RowOutcome) -> dict[str, Any]:
    from clientkeep.customers.bulk import AlreadyImported, Imported

    if isinstance(outcome, Imported):
        return {"line": outcome.line, "customer_id": outcome.customer_id}
    if isinstance(outcome, AlreadyImported):
        return {"line": outcome.line, "already_imported": outcome.customer_id}
    errors = [{"field": _shown_field(f), "message": m} for f, m in outcome.errors]
    return {"line": outcome.line, "errors": errors}


def _as_text(outcome: RowOutcome) -> str:
    from clientkeep.customers.bulk import AlreadyImported, Imported

    if isinstance(outcome, Imported):
        return f"line {outcome.line}: imported as {outcome.customer_id}"
    if isinstance(outcome, AlreadyImported):
        return f"line {outcome.line}: already imported as {outcome.customer_id}"
    return f"line {outcome.line}: " + "; ".join(
        f"{_shown_field(field)}: {message}" for field, message in outcome.errors
    )


class _JsonReport:
    """One JSON document on stdout, written as the rows come: a million rows are never held
    in memory. The counts follow the rows, since they are known only at the end."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._first = True
        stream.write('{"rows": [')

    def rows(self, outcomes: Sequence[RowOutcome]) -> None:
        for outcome in outcomes:
            self._stream.write(("\n  " if self._first else ",\n  ") + json.dumps(_as_json(outcome)))
            self._first = False

    def close(self, tally: _Tally, stopped: dict[str, Any] | None) -> None:
        ending: dict[str, Any] = {
            "imported": tally.imported,
            "skipped_already_imported": tally.already_imported,
            "rejected": tally.rejected,
        }
        if stopped is not None:
            ending["stopped"] = stopped
        tail = json.dumps(ending)[1:]  # the counts, after the rows, in the same object
        self._stream.write(("\n], " if not self._first else "], ") + tail + "\n")
        self._stream.flush()


class _Tally:
    """What has been saved and what to report, kept as each batch commits."""

    def __init__(self, tracker: Tracker | None, report: _JsonReport | None) -> None:
        self.imported = self.already_imported = self.rejected = 0
        self.tracker = tracker
        self.report = report
        self.shown: list[str] = []
        self.more = 0
        self.unlisted = False

    def add(self, outcomes: Sequence[RowOutcome]) -> None:
        from clientkeep.customers.bulk import AlreadyImported, Imported
        from clientkeep.customers.values import UNLISTED_MESSAGE

        for outcome in outcomes:
            if isinstance(outcome, Imported):
                self.imported += 1
                continue
            if isinstance(outcome, AlreadyImported):
                self.already_imported += 1
            else:
                self.rejected += 1
                self.unlisted |= any(m == UNLISTED_MESSAGE for _, m in outcome.errors)
            if len(self.shown) < SHOWN_ROWS:
                self.shown.append(_as_text(outcome))
            else:
                self.more += 1
        if self.report is not None:
            self.report.rows(outcomes)
        if self.tracker is not None:
            self.tracker.advance(len(outcomes))

    def saved(self) -> str:
        return (
            f"{self.imported:,} customers from earlier lines were saved "
            f"({self.already_imported:,} rows already imported, {self.rejected:,} rejected)"
        )


def import_file(
    file: Annotated[Path, typer.Argument(help="CSV with a header row, or .jsonl.")],
    as_user: Annotated[
        str,
        typer.Option(
            "--as",
            envvar="CLIENTKEEP_AS",
            metavar="USERNAME",
            help="The member of staff acting; their role decides what they may see and do.",
        ),
    ],
    purpose: Annotated[
        str,
        typer.Option("--purpose", help="Why the records are collected: a purpose from the policy."),
    ],
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
    external_id_column: Annotated[
        str | None,
        typer.Option(
            "--external-id-column",
            metavar="NAME",
            help="A column holding each customer's id in the system the file came from: a "
            "row whose id was imported before is skipped, whatever its other values.",
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print one JSON document: every row's line and outcome."),
    ] = False,
) -> None:
    """Register many customers from a file. Valid rows are saved in batches; a row with a
    problem is reported by its file line and not saved; a row imported before is skipped.
    Run `customer find-duplicates` after."""
    from clientkeep.adapters.cli import _import_files as files
    from clientkeep.adapters.cli._progress import progress
    from clientkeep.adapters.cli.customers import acting_as
    from clientkeep.customers import bulk

    if not file.is_file():
        fail(f"no such file: {file}", 2)
    c = container()
    actor = acting_as(c, as_user)
    columns = files.Columns(frozenset(c.policy.fields), external_id_column)
    command = bulk.ImportCustomers(
        purpose=purpose,
        source=source,
        batch_size=batch,
        accept_unlisted_phones=accept_unlisted_phones,
        external_id_field=external_id_column or "external_id",
    )
    report = _JsonReport(sys.stdout) if as_json else None
    tally = _Tally(None, report)
    try:
        with cli_errors(), progress("Importing customers", unit="rows") as tracker:
            tally.tracker = tracker
            bulk.import_customers(
                command,
                files.read_rows(file, columns),
                uow=c.uow,
                actor=actor,
                policy=c.policy,
                clock=c.clock,
                on_rows=tally.add,
            )
    except files.BadFile as bad:
        _finish(report, tally, {"line": bad.line, "message": str(bad)})
        fail(f"{file.name}: {bad}; the import stopped: {tally.saved()}", 2)
    except typer.Exit:
        # cli_errors has said in one line what failed (the database, the key store).
        _finish(report, tally, {"line": None, "message": "see the error on standard error"})
        err.print(f"the import stopped: {tally.saved()}", highlight=False, soft_wrap=True)
        raise
    except Exception as unexpected:
        # Never a trace, which could quote a value: the kind of failure and what was saved.
        _finish(report, tally, {"line": None, "message": type(unexpected).__name__})
        fail(f"the import stopped on an unexpected {type(unexpected).__name__}: {tally.saved()}")
    _finish(report, tally, None)
    _summarise(tally, quiet=as_json)


def _finish(report: _JsonReport | None, tally: _Tally, stopped: dict[str, Any] | None) -> None:
    if report is not None:
        report.close(tally, stopped)


def _summarise(tally: _Tally, *, quiet: bool) -> None:
    if not quiet:
        out.print(
            f"imported {tally.imported} customers; {tally.already_imported} rows already "
            f"imported; {tally.rejected} rows rejected",
            highlight=False,
        )
        for line in tally.shown:
            err.print(line, highlight=False, soft_wrap=True)
        if tally.more:
            err.print(
                f"... and {tally.more} more (--json lists every row)",
                highlight=False,
                soft_wrap=True,
            )
        if tally.unlisted:
            err.print(
                "rows with unlisted phone numbers can be kept with --accept-unlisted-phones "
                "once the numbers are checked",
                highlight=False,
                soft_wrap=True,
            )
    if tally.rejected:
        fail(f"{tally.rejected} rows had problems and were not saved", 2)
