"""The plain progress lines a long command writes when stderr is not a terminal."""

from __future__ import annotations

import io

import pytest

from clientkeep.adapters.cli._progress import DEFAULT_INTERVAL_SECONDS, INTERVAL_ENV, progress


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_lines_carry_count_share_rate_and_time_left_then_a_final_line():
    stream, clock = io.StringIO(), Clock()
    with progress(
        "Importing customers", total=20_000, stream=stream, interval=2.0, clock=clock
    ) as tracker:
        clock.now += 1
        tracker.advance(1_000)  # under the interval: no line yet
        clock.now += 3.7058823529
        tracker.advance(3_000)
        assert tracker.done == 4_000
    lines = stream.getvalue().splitlines()
    assert lines[0] == (
        "Importing customers: 4,000 of 20,000 rows (20%), 850 rows/s, about 19 s left"
    )
    assert lines[1] == "Importing customers: 4,000 rows in 4.7 s"
    assert len(lines) == 2


def test_no_more_than_one_line_per_interval():
    stream, clock = io.StringIO(), Clock()
    with progress("Scanning", unit="customers", stream=stream, interval=2.0, clock=clock) as t:
        for _ in range(10):
            clock.now += 0.5
            t.advance()
    lines = stream.getvalue().splitlines()
    # 5 s in steps of 0.5 s: a line at 2 s and at 4 s, then the final one.
    assert lines == [
        "Scanning: 4 customers, 2 customers/s",
        "Scanning: 8 customers, 2 customers/s",
        "Scanning: 10 customers in 5.0 s",
    ]


def test_a_total_learnt_late_and_a_count_set_outright():
    stream, clock = io.StringIO(), Clock()
    with progress("Verifying", unit="events", stream=stream, interval=0, clock=clock) as t:
        t.set_total(300)
        clock.now += 10
        t.update(150)
    first = stream.getvalue().splitlines()[0]
    assert first == "Verifying: 150 of 300 events (50%), 15 events/s, about 10 s left"


def test_nothing_final_is_written_when_the_work_fails():
    stream, clock = io.StringIO(), Clock()
    with pytest.raises(RuntimeError), progress("Reindexing", stream=stream, clock=clock):
        raise RuntimeError("boom")
    assert stream.getvalue() == ""


def test_the_interval_comes_from_the_environment(monkeypatch):
    stream, clock = io.StringIO(), Clock()
    monkeypatch.setenv(INTERVAL_ENV, "0")
    with progress("Rotating", unit="keys", stream=stream, clock=clock) as t:
        clock.now += 1
        t.advance()
    assert stream.getvalue().splitlines()[0] == "Rotating: 1 keys, 1 keys/s"


def test_an_unreadable_interval_falls_back_to_the_default(monkeypatch):
    stream, clock = io.StringIO(), Clock()
    monkeypatch.setenv(INTERVAL_ENV, "soon")
    with progress("Rotating", unit="keys", stream=stream, clock=clock) as t:
        clock.now += DEFAULT_INTERVAL_SECONDS - 0.5
        t.advance()
    assert stream.getvalue().splitlines() == ["Rotating: 1 keys in 1.5 s"]


def test_work_that_knows_only_how_far_through_it_is_estimates_from_its_share():
    stream, clock = io.StringIO(), Clock()
    with progress(
        "Finding duplicates", unit="pairs compared", stream=stream, interval=0, clock=clock
    ) as t:
        clock.now += 30
        t.update(1_200, share=0.25)
    first = stream.getvalue().splitlines()[0]
    assert first == (
        "Finding duplicates: 1,200 pairs compared (25%), 40 pairs compared/s, about 1 min 30 s left"
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")


def test_on_a_terminal_a_bar_is_drawn_instead_of_lines(wide):
    stream = Terminal()
    with progress("Reindexing", total=10, unit="customers", stream=stream) as t:
        t.advance(4)
        t.set_total(12)
        t.update(12)
    drawn = stream.getvalue()
    assert t.done == 12 and t.total == 12
    assert "Reindexing" in drawn and "12 of 12 customers" in drawn
    assert " in " not in drawn.splitlines()[-1]  # no plain final line


def test_on_a_terminal_a_share_fills_the_bar_and_the_count_stays_a_count(wide):
    stream = Terminal()
    with progress("Finding duplicates", unit="pairs compared", stream=stream) as t:
        t.update(500, share=1.0)
    assert "500 pairs compared" in stream.getvalue()
