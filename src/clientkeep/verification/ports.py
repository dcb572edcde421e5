"""What verification needs from storage: its own records, beside the customer's."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from clientkeep.customers.ports import CustomerUnitOfWork
from clientkeep.verification.model import Verification


class VerificationRepository(Protocol):
    def add(self, verification: Verification) -> None:
        """Sealed under the customer's key: that a customer was checked is about them."""
        ...

    def get(self, verification_id: str) -> Verification | None: ...

    def failures_since(self, customer_id: str, since: datetime) -> Sequence[datetime]:
        """When each failed attempt for the customer after ``since`` was made, oldest first."""
        ...

    def for_customer(self, customer_id: str) -> list[Verification]:
        """Every attempt for the customer, oldest first (access pack, merge, erasure)."""
        ...

    def rehome(self, verification_ids: Sequence[str], customer_id: str) -> None:
        """Give these attempts to another customer (a merge), resealed under their key."""
        ...

    def delete(self, verification_ids: Sequence[str]) -> int: ...


class VerificationUnitOfWork(CustomerUnitOfWork, Protocol):
    verifications: VerificationRepository
