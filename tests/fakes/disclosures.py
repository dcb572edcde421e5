"""The fake store of disclosures, answering as the SQL one does (which seals the recipient;
this keeps it in the clear, so a test can see exactly what was recorded)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import ClassVar

from clientkeep.verification.disclosure_model import Disclosure
from tests.fakes._store import FakeStore


class FakeDisclosureRepository(FakeStore):
    STATE: ClassVar[tuple[str, ...]] = ("rows",)

    def __init__(self) -> None:
        self.rows: dict[str, Disclosure] = {}

    def add(self, disclosure: Disclosure) -> None:
        self._write("add")
        self.rows[disclosure.id] = disclosure

    def get(self, disclosure_id: str) -> Disclosure | None:
        return self.rows.get(disclosure_id)

    def for_customer(self, customer_id: str) -> list[Disclosure]:
        return sorted(
            (d for d in self.rows.values() if d.customer_id == customer_id),
            key=lambda d: (d.at, d.id),
        )

    def rehome(self, disclosure_ids: Sequence[str], customer_id: str) -> None:
        self._write("rehome")
        for did in disclosure_ids:
            self.rows[did] = replace(self.rows[did], customer_id=customer_id)

    def delete(self, disclosure_ids: Sequence[str]) -> int:
        self._write("delete")
        return len([d for d in disclosure_ids if self.rows.pop(d, None) is not None])
