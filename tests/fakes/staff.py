"""Staff accounts, second factors, tokens and sessions in memory, a reversible password
hasher and a transparent secret sealer."""

from __future__ import annotations

import builtins
from dataclasses import replace
from datetime import datetime

from clientkeep.staff.model import ApiToken, SecondFactor, StaffMember, WebSession
from tests.fakes._store import FakeStore


class FakeStaffRepository(FakeStore):
    STATE = ("rows", "factors", "recovery")

    def __init__(self) -> None:
        self.rows: dict[str, StaffMember] = {}
        self.factors: dict[str, SecondFactor] = {}
        # staff id -> {code hash: when used, or None}
        self.recovery: dict[str, dict[str, datetime | None]] = {}

    def add(self, member: StaffMember) -> None:
        self._write("add")
        self.rows[member.id] = member

    def get(self, staff_id: str) -> StaffMember | None:
        return self.rows.get(staff_id)

    def by_username(self, username: str) -> StaffMember | None:
        return next((m for m in self.rows.values() if m.username == username), None)

    def update(self, member: StaffMember) -> None:
        self._write("update")
        self.rows[member.id] = member

    def list(self) -> list[StaffMember]:
        return sorted(self.rows.values(), key=lambda m: m.username)

    def second_factor(self, staff_id: str) -> SecondFactor | None:
        return self.factors.get(staff_id)

    def put_second_factor(self, factor: SecondFactor) -> None:
        self._write("put_second_factor")
        self.factors[factor.staff_id] = factor

    def remove_second_factor(self, staff_id: str) -> None:
        self._write("remove_second_factor")
        self.factors.pop(staff_id, None)
        self.recovery.pop(staff_id, None)

    def with_second_factor(self) -> set[str]:
        return {f.staff_id for f in self.factors.values() if f.enabled}

    def replace_recovery_codes(
        self, staff_id: str, code_hashes: builtins.list[str], at: datetime
    ) -> None:
        self._write("replace_recovery_codes")
        self.recovery[staff_id] = dict.fromkeys(code_hashes)

    def use_recovery_code(self, staff_id: str, code_hash: str, at: datetime) -> bool:
        self._write("use_recovery_code")
        codes = self.recovery.get(staff_id, {})
        if code_hash not in codes or codes[code_hash] is not None:
            return False
        codes[code_hash] = at
        return True

    def recovery_codes_left(self, staff_id: str) -> int:
        return sum(1 for used in self.recovery.get(staff_id, {}).values() if used is None)


class FakeTokenRepository(FakeStore):
    STATE = ("rows",)

    def __init__(self) -> None:
        self.rows: dict[str, ApiToken] = {}

    def add(self, token: ApiToken) -> None:
        self._write("add")
        self.rows[token.id] = token

    def get(self, token_id: str) -> ApiToken | None:
        return self.rows.get(token_id)

    def by_hash(self, token_hash: str) -> ApiToken | None:
        return next((t for t in self.rows.values() if t.token_hash == token_hash), None)

    def for_staff(self, staff_id: str) -> list[ApiToken]:
        return [t for t in self.rows.values() if t.staff_id == staff_id]

    def list_all(self) -> list[ApiToken]:
        return sorted(self.rows.values(), key=lambda t: (t.created_at, t.id))

    def mark_used(self, token_id: str, at: datetime) -> None:
        self._write("mark_used")
        self.rows[token_id] = replace(self.rows[token_id], last_used_at=at)

    def revoke(self, token_id: str, at: datetime) -> None:
        self._write("revoke")
        self.rows[token_id] = replace(self.rows[token_id], revoked_at=at)


class FakeSessionRepository(FakeStore):
    STATE = ("rows",)

    def __init__(self) -> None:
        self.rows: dict[str, WebSession] = {}

    def add(self, session: WebSession) -> None:
        self._write("add")
        self.rows[session.id] = session

    def get(self, session_id: str) -> WebSession | None:
        return self.rows.get(session_id)

    def end(self, session_id: str, at: datetime) -> None:
        self._write("end")
        self.rows[session_id] = replace(
            self.rows[session_id], ended_at=at, pending_token=None, pending_recovery_codes=None
        )

    def end_all_for(self, staff_id: str, at: datetime) -> None:
        self._write("end_all_for")
        for s in list(self.rows.values()):
            if s.staff_id == staff_id and s.ended_at is None:
                self.end(s.id, at)

    def hold_token(self, session_id: str, secret: str | None) -> None:
        self._write("hold_token")
        self.rows[session_id] = replace(self.rows[session_id], pending_token=secret)

    def hold_recovery_codes(self, session_id: str, codes: str | None) -> None:
        self._write("hold_recovery_codes")
        self.rows[session_id] = replace(self.rows[session_id], pending_recovery_codes=codes)


class PlainPasswordHasher:
    """Reversible 'hash' for unit tests: the real argon2 adapter has its own tests."""

    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain$" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False


class ReversibleSealer:
    """Seals by tagging with the member's id: enough to show the use cases never store or
    compare the plain secret, and that a secret moved to another member does not open. The
    real AES-GCM sealer has its own tests."""

    def seal(self, staff_id: str, secret: str) -> bytes:
        return f"sealed:{staff_id}:{secret[::-1]}".encode()

    def open(self, staff_id: str, sealed: bytes) -> str:
        prefix = f"sealed:{staff_id}:".encode()
        if not sealed.startswith(prefix):
            raise ValueError("sealed for another member")
        return sealed[len(prefix) :].decode()[::-1]
