"""The fake store of third parties' requests, answering as the SQL one does (which seals the
details and the decision's reason; this keeps them in the clear, so a test can see exactly
what was recorded)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from clientkeep.verification.third_party_model import RequestStatus, ThirdPartyRequest
from tests.fakes._store import FakeStore


class FakeThirdPartyRequestRepository(FakeStore):
    STATE: ClassVar[tuple[str, ...]] = ("rows",)

    def __init__(self) -> None:
        self.rows: dict[str, ThirdPartyRequest] = {}

    def add(self, request: ThirdPartyRequest) -> None:
        self._write("add")
        self.rows[request.id] = request

    def get(self, request_id: str) -> ThirdPartyRequest | None:
        return self.rows.get(request_id)

    def decide(self, request: ThirdPartyRequest) -> bool:
        self._write("decide")
        held = self.rows.get(request.id)
        if held is None or held.status is not RequestStatus.PENDING:
            return False
        self.rows[request.id] = replace(
            held,
            status=request.status,
            approved_fields=request.approved_fields,
            decided_by=request.decided_by,
            decided_at=request.decided_at,
            decision=request.decision,
        )
        return True

    def mark_disclosed(self, request_id: str, disclosure_id: str) -> bool:
        self._write("mark_disclosed")
        held = self.rows.get(request_id)
        if held is None or held.status is not RequestStatus.APPROVED or held.disclosure_id:
            return False
        self.rows[request_id] = replace(
            held, status=RequestStatus.DISCLOSED, disclosure_id=disclosure_id
        )
        return True

    def by_status(
        self, status: str, *, limit: int, after: tuple[datetime, str] | None = None
    ) -> list[ThirdPartyRequest]:
        found = sorted(
            (r for r in self.rows.values() if r.status.value == status),
            key=lambda r: (r.created_at, r.id),
        )
        if after is not None:
            found = [r for r in found if (r.created_at, r.id) > after]
        return found[:limit]

    def for_customer(self, customer_id: str) -> list[ThirdPartyRequest]:
        return sorted(
            (r for r in self.rows.values() if r.customer_id == customer_id),
            key=lambda r: (r.created_at, r.id),
        )

    def rehome(self, request_ids: Sequence[str], customer_id: str) -> None:
        self._write("rehome")
        for rid in request_ids:
            self.rows[rid] = replace(self.rows[rid], customer_id=customer_id)

    def delete(self, request_ids: Sequence[str]) -> int:
        self._write("delete")
        return len([r for r in request_ids if self.rows.pop(r, None) is not None])
