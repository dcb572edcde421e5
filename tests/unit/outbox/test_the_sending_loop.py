"""The server's sending loop runs a pass, then waits, until told to stop; a pass that fails
is logged by its error's type and the loop goes on."""

from __future__ import annotations

import logging
import threading

from clientkeep.outbox.model import DeliveryReport
from clientkeep.outbox.services import run_sender


def test_the_loop_keeps_going_past_a_failing_pass_and_stops_when_told(caplog) -> None:
    stop = threading.Event()
    passes: list[int] = []

    def deliver() -> DeliveryReport:
        passes.append(len(passes))
        if len(passes) == 1:
            raise RuntimeError("message body Qzsecret")
        if len(passes) == 3:
            stop.set()
        return DeliveryReport(sent=1)

    with caplog.at_level(logging.INFO):
        run_sender(stop, 0, deliver)

    assert passes == [0, 1, 2]
    assert "RuntimeError" in caplog.text and "Qzsecret" not in caplog.text
    assert "1 sent" in caplog.text


def test_a_loop_told_to_stop_before_it_starts_runs_no_pass() -> None:
    stop = threading.Event()
    stop.set()
    calls: list[int] = []
    run_sender(stop, 0, lambda: calls.append(1) or DeliveryReport())
    assert calls == []
