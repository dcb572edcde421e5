"""The fake store of authorised representatives, answering as the SQL one does (which seals
the details, the answers and the decision's reason; this keeps them in the clear, so a test
can see exactly what was recorded)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from clientkeep.verification.representative_model import Representative
from tests.fakes._store import FakeStore


class FakeRepresentativeRepository(FakeStore):
    STATE: ClassVar[tuple[str, ...]] = ("rows",)

    def __init__(self) -> None:
        self.rows: dict[str, Representative] = {}

    def add(self, representative: Representative) -> None:
        self._write("add")
        self.rows[representative.id] = representative

    def decide(self, representative: Representative) -> None:
        self._write("decide")
        held = self.rows[representative.id]
        self.rows[representative.id] = replace(
            held,
            status=representative.status,
            decided_by=representative.decided_by,
            decided_at=representative.decided_at,
            decision_reason=representative.decision_reason,
        )

    def get(self, representative_id: str) -> Representative | None:
        return self.rows.get(representative_id)

    def for_customer(self, customer_id: str) -> list[Representative]:
        return sorted(
            (r for r in self.rows.values() if r.customer_id == customer_id),
            key=lambda r: (r.created_at, r.id),
        )

    def rehome(self, representative_ids: Sequence[str], customer_id: str) -> None:
        self._write("rehome")
        for rid in representative_ids:
            self.rows[rid] = replace(self.rows[rid], customer_id=customer_id)

    def delete(self, representative_ids: Sequence[str]) -> int:
        self._write("delete")
        return len([r for r in representative_ids if self.rows.pop(r, None) is not None])
