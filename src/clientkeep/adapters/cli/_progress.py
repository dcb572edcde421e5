"""Progress for the commands that walk the whole book: a bar on a terminal, plain lines in logs.

A command run from cron or a CI job writes to a file, where a bar is noise; an operator at a
terminal wants the bar. Both show the same count, rate and time left, so a log says how far a
long job got and how fast it went.

rich.progress is imported only when a bar is drawn: this module is imported by commands whose
``--help`` must start fast.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

# Plain lines at most this often: enough to see a job move, few enough to keep a log short.
DEFAULT_INTERVAL_SECONDS = 2.0
# Tests (and impatient operators) may set it lower; a value that does not parse is ignored.
INTERVAL_ENV = "CLIENTKEEP_PROGRESS_INTERVAL"


class Tracker:
    """What a command tells the display as it goes: how much is done and, once known, of how
    much. ``done`` is the count so far. Work that cannot count what is left but knows how far
    through it is (the duplicate scan) gives its ``share`` instead of a total."""

    def __init__(
        self,
        label: str,
        *,
        total: int | None,
        unit: str,
        stream: TextIO,
        interval: float,
        clock: Callable[[], float],
        bar: tuple[Progress, TaskID] | None = None,
    ) -> None:
        self.label = label
        self.total = total
        self.unit = unit
        self.done = 0
        self.share: float | None = None
        self._stream = stream
        self._interval = interval
        self._clock = clock
        self._bar = bar
        self._started = clock()
        self._last_line = self._started

    def advance(self, n: int = 1) -> None:
        self.update(self.done + n)

    def update(self, done: int, *, share: float | None = None) -> None:
        """Set the count outright (for domain callbacks that report how many so far), and
        with ``share`` (0 to 1) how far through the work that is."""
        self.done = done
        if share is not None:
            self.share = min(1.0, max(0.0, share))
        if self._bar is not None:
            progress, task = self._bar
            if self.total is None and self.share is not None:
                progress.update(task, completed=self.share, total=1.0, count=done)
            else:
                progress.update(task, completed=done, count=done)
            return
        now = self._clock()
        if now - self._last_line >= self._interval:
            self._last_line = now
            self._write(self.line(now))

    def set_total(self, total: int) -> None:
        self.total = total
        if self._bar is not None:
            progress, task = self._bar
            progress.update(task, total=total, of=total)

    def line(self, now: float) -> str:
        """The plain progress line, e.g. ``Importing customers: 4,000 of 20,000 rows (20%),
        850 rows/s, about 19 s left``."""
        elapsed = now - self._started
        rate = self.done / elapsed if elapsed > 0 else None
        count = f"{self.done:,}"
        if self.total is not None:
            count += f" of {self.total:,}"
        text = f"{self.label}: {count} {self.unit}"
        if self.total:
            text += f" ({min(100, self.done * 100 // self.total)}%)"
        elif self.total is None and self.share is not None:
            text += f" ({int(self.share * 100)}%)"
        if rate is not None:
            text += f", {rate:,.0f} {self.unit}/s"
        left = self._left(elapsed, rate)
        if left is not None:
            text += f", about {_duration(left)} left"
        return text

    def _left(self, elapsed: float, rate: float | None) -> float | None:
        if self.total is not None:
            return max(0, self.total - self.done) / rate if rate else None
        if self.share:
            return elapsed * (1 - self.share) / self.share
        return None

    def finish(self) -> None:
        if self._bar is not None:
            return
        elapsed = self._clock() - self._started
        self._write(f"{self.label}: {self.done:,} {self.unit} in {_duration(elapsed)}")

    def _write(self, text: str) -> None:
        self._stream.write(text + "\n")
        self._stream.flush()


@contextmanager
def progress(
    label: str,
    *,
    total: int | None = None,
    unit: str = "rows",
    stream: TextIO | None = None,
    interval: float | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Tracker]:
    """Show progress of ``label`` on stderr while the block runs.

    On a terminal, a bar with the count, rate and time left (once the total is known);
    elsewhere a plain line at most every ``interval`` seconds and a final line with the count
    and the time taken. The final line is written only when the block completes.
    """
    target = stream if stream is not None else sys.stderr
    every = _interval_from_env() if interval is None else interval
    if not target.isatty():
        tracker = Tracker(label, total=total, unit=unit, stream=target, interval=every, clock=clock)
        yield tracker
        tracker.finish()
        return
    with _bar(target, unit) as bar:
        task = bar.add_task(label, total=total, count=0, of=total)
        yield Tracker(
            label,
            total=total,
            unit=unit,
            stream=target,
            interval=every,
            clock=clock,
            bar=(bar, task),
        )


@contextmanager
def _bar(target: TextIO, unit: str) -> Iterator[Progress]:
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        Progress,
        ProgressColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )
    from rich.text import Text

    # The count and its total are fields of the task, not its completion, which is a share
    # of the whole for work that cannot count what is left.
    class Count(ProgressColumn):
        def render(self, task: Task) -> Text:
            of = task.fields["of"]
            total = f" of {of:,}" if of is not None else ""
            return Text(f"{task.fields['count']:,}{total} {unit}")

    class Rate(ProgressColumn):
        def render(self, task: Task) -> Text:
            elapsed = task.elapsed
            if not elapsed:
                return Text("")
            return Text(f"{task.fields['count'] / elapsed:,.0f} {unit}/s")

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        Count(),
        Rate(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(file=target),
        transient=True,
    ) as bar:
        yield bar


def _interval_from_env() -> float:
    raw = os.environ.get(INTERVAL_ENV, "")
    try:
        value = float(raw)
    except ValueError:
        return DEFAULT_INTERVAL_SECONDS
    return value if value >= 0 else DEFAULT_INTERVAL_SECONDS


def _duration(seconds: float) -> str:
    whole = round(seconds)
    if whole < 60:
        return f"{seconds:.1f} s" if seconds < 10 else f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min"
