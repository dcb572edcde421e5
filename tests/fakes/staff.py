"""Staff accounts, tokens and sessions in memory, and a reversible password hasher."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from clientkeep.staff.model import ApiToken, StaffMember, WebSession
from tests.fakes._store import FakeStore


class FakeStaffRepository(FakeStore):
    STATE = ("rows",)

    def __init__(self) -> None:
        self.rows: dict[str, StaffMember] = {}

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
        self.rows[session_id] = replace(self.rows[session_id], ended_at=at, pending_token=None)

    def end_all_for(self, staff_id: str, at: datetime) -> None:
        self._write("end_all_for")
        for s in list(self.rows.values()):
            if s.staff_id == staff_id and s.ended_at is None:
                self.end(s.id, at)

    def hold_token(self, session_id: str, secret: str | None) -> None:
        self._write("hold_token")
        self.rows[session_id] = replace(self.rows[session_id], pending_token=secret)


class PlainPasswordHasher:
    """Reversible 'hash' for unit tests: the real argon2 adapter has its own tests."""

    def hash(self, password: str) -> str:
        return "plain$" + password

    def verify(self, password_hash: str, password: str) -> bool:
        return password_hash == "plain$" + password

    def needs_rehash(self, password_hash: str) -> bool:
        return False
