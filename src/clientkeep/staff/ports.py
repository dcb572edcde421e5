"""What the staff use cases need from storage and from a password hasher."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from clientkeep.audit.ports import AuditLog
from clientkeep.shared.uow import UnitOfWork
from clientkeep.staff.model import ApiToken, StaffMember, WebSession


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class StaffRepository(Protocol):
    def add(self, member: StaffMember) -> None: ...

    def get(self, staff_id: str) -> StaffMember | None: ...

    def by_username(self, username: str) -> StaffMember | None: ...

    def for_sign_in(self, username: str) -> StaffMember | None:
        """As by_username, with the row locked until the unit of work ends, so concurrent
        sign-ins read and count failures one after another rather than losing some."""
        ...

    def update(self, member: StaffMember) -> None: ...

    def list(self) -> list[StaffMember]: ...


class TokenRepository(Protocol):
    def add(self, token: ApiToken) -> None: ...

    def get(self, token_id: str) -> ApiToken | None: ...

    def by_hash(self, token_hash: str) -> ApiToken | None: ...

    def for_staff(self, staff_id: str) -> list[ApiToken]: ...

    def list_all(self) -> list[ApiToken]:
        """Everyone's tokens, oldest first: for the administrator."""
        ...

    def mark_used(self, token_id: str, at: datetime) -> None: ...

    def revoke(self, token_id: str, at: datetime) -> None: ...


class SessionRepository(Protocol):
    def add(self, session: WebSession) -> None: ...

    def get(self, session_id: str) -> WebSession | None: ...

    def end(self, session_id: str, at: datetime) -> None:
        """End the session, dropping any token it still holds to show."""
        ...

    def end_all_for(self, staff_id: str, at: datetime) -> None: ...

    def hold_token(self, session_id: str, secret: str | None) -> None:
        """Keep a new token's secret on the session until it is shown; None clears it."""
        ...


class StaffUnitOfWork(UnitOfWork, Protocol):
    staff: StaffRepository
    tokens: TokenRepository
    sessions: SessionRepository
    audit: AuditLog
