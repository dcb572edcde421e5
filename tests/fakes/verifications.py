"""The fake store of verification attempts and one-time codes, answering as the SQL one does,
and a fake outbox holding what the real ``enqueue`` writes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from clientkeep.customers.ports import CustomerRepository
from clientkeep.outbox.model import Message
from clientkeep.verification.model import IssuedCode, Verification
from clientkeep.verification.ports import FailedAttempt
from tests.fakes._store import FakeStore


class FakeVerificationRepository(FakeStore):
    STATE: ClassVar[tuple[str, ...]] = ("rows", "codes")

    def __init__(self) -> None:
        self.rows: dict[str, Verification] = {}
        self.codes: dict[str, IssuedCode] = {}

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

    def failed_since(self, since: datetime) -> Sequence[FailedAttempt]:
        return [
            FailedAttempt(v.customer_id, v.staff_id, v.at)
            for v in sorted(self.rows.values(), key=lambda v: (v.customer_id, v.at, v.id))
            if not v.passed and v.at > since
        ]

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

    def replace_code(self, code: IssuedCode) -> None:
        self._write("replace_code")
        self.codes = {
            k: c
            for k, c in self.codes.items()
            if (c.customer_id, c.staff_id) != (code.customer_id, code.staff_id)
        }
        self.codes[code.id] = code

    def current_code(self, customer_id: str, staff_id: str) -> IssuedCode | None:
        return next(
            (
                c
                for c in self.codes.values()
                if c.customer_id == customer_id and c.staff_id == staff_id
            ),
            None,
        )

    def use_code(self, code_id: str, now: datetime) -> bool:
        self._write("use_code")
        code = self.codes.get(code_id)
        if code is None or code.used_at is not None or not now < code.expires_at:
            return False
        self.codes[code_id] = replace(code, used_at=now)
        return True

    def delete_codes(self, customer_id: str) -> int:
        self._write("delete_codes")
        gone = [k for k, c in self.codes.items() if c.customer_id == customer_id]
        for k in gone:
            del self.codes[k]
        return len(gone)


class FakeOutboxRepository(FakeStore):
    """Only what enqueueing needs: the messages written, in the clear (the SQL one seals)."""

    STATE: ClassVar[tuple[str, ...]] = ("messages",)

    def __init__(self, customers: CustomerRepository) -> None:
        self._customers = customers
        self.messages: dict[str, Message] = {}

    def customer_is_live(self, customer_id: str) -> bool:
        return self._customers.get(customer_id) is not None

    def add(self, message_id: str, message: Message, to_field: str, now: datetime) -> None:
        self._write("add")
        self.messages[message_id] = message
