"""Errors of the customers capability. Messages name fields, never their values."""

from __future__ import annotations

from clientkeep.shared.errors import Conflict, NotFound

__all__ = ["CustomerMerged", "CustomerNotFound", "IdempotencyKeyReused"]


class CustomerNotFound(NotFound):
    code = "customer_not_found"

    def __init__(self) -> None:
        super().__init__("No customer has that id.", field="customer_id")


class CustomerMerged(NotFound):
    """The record was merged into another; its id still resolves to say where."""

    code = "customer_merged"

    def __init__(self, survivor_id: str) -> None:
        super().__init__(
            f"This record was merged into {survivor_id}; use that id.", field="customer_id"
        )
        self.survivor_id = survivor_id


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            "This Idempotency-Key was already used with a different request.",
            field="Idempotency-Key",
        )
