"""What the outbox refuses, in words staff can act on."""

from __future__ import annotations

from clientkeep.shared.errors import Conflict, NotFound


class MessageNotFound(NotFound):
    code = "message_not_found"

    def __init__(self) -> None:
        super().__init__("No such message in the outbox.")


class NotRetryable(Conflict):
    code = "message_not_retryable"

    def __init__(self, status: str) -> None:
        super().__init__(
            f"Only a failed (dead-letter) message can be retried; this one is {status}."
        )
