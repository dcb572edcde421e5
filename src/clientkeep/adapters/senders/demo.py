"""The demo's sender: delivers nowhere. A message it "sends" is marked delivered with a
provider id saying so, and is read on the Messages page instead of in an inbox."""

from __future__ import annotations

from clientkeep.outbox.model import Outgoing

DEMO_PREFIX = "demo:"


class DemoSender:
    def send(self, message: Outgoing) -> str:
        # Nothing is written or logged outside the database: the message stays sealed there.
        return f"{DEMO_PREFIX}{message.id}"
