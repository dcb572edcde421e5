"""The fake store of verification attempts, answering as the SQL one does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from clientkeep.verification.model import Verification
from tests.fakes._store import FakeStore


class FakeVerificationRepository(FakeStore):
    STATE: ClassVar[tuple[str, ...]] = ("rows",)

    def __init__(self) -> None:
        self.rows: dict[str, Verification] = {}

    def add(self, verification: Verification) -> None:
        self._write("add")
        self.rows[verification.id] = verification

    def get(self, verification_id: str) -> Verification | None:
        return self.rows.get(verification_id)

    def failures_since(self, customer_id: str, since: datetime) -> Sequence[datetime]:
        return sorted(
            v.at
            for v in self.rows.values()
            if v.customer_id == customer_id and not v.passed and v.at > since
        )

    def for_customer(self, customer_id: str) -> list[Verification]:
        return sorted(
            (v for v in self.rows.values() if v.customer_id == customer_id),
            key=lambda v: (v.at, v.id),
        )

    def rehome(self, verification_ids: Sequence[str], customer_id: str) -> None:
        self._write("rehome")
        for vid in verification_ids:
            self.rows[vid] = replace(self.rows[vid], customer_id=customer_id)

    def delete(self, verification_ids: Sequence[str]) -> int:
        self._write("delete")
        gone = [vid for vid in verification_ids if self.rows.pop(vid, None) is not None]
        return len(gone)
