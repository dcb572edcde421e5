"""What the staff use cases need from storage and from a password hasher."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Protocol

from clientkeep.audit.ports import AuditLog
from clientkeep.shared.uow import UnitOfWork
from clientkeep.staff.model import ApiToken, SecondFactor, StaffMember, WebSession


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class SecretSealer(Protocol):
    """Seals a member's second-factor secret for storage and opens it again.

    Bound to the member, so a sealed secret copied onto another member's row does not open.
    """

    def seal(self, staff_id: str, secret: str) -> bytes: ...

    def open(self, staff_id: str, sealed: bytes) -> str: ...


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

    def second_factor(self, staff_id: str) -> SecondFactor | None: ...

    def put_second_factor(self, factor: SecondFactor) -> None:
        """Add the member's second factor, or replace the one they have."""
        ...

    def remove_second_factor(self, staff_id: str) -> None:
        """Remove the member's second factor and every recovery code they hold."""
        ...

    def with_second_factor(self) -> set[str]:
        """The ids of every member whose second factor is on (confirmed)."""
        ...

    def replace_recovery_codes(
        self, staff_id: str, code_hashes: builtins.list[str], at: datetime
    ) -> None: ...

    def use_recovery_code(self, staff_id: str, code_hash: str, at: datetime) -> bool:
        """Mark the code used if it is the member's and unused; whether it was."""
        ...

    def recovery_codes_left(self, staff_id: str) -> int: ...


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

    def hold_recovery_codes(self, session_id: str, codes: str | None) -> None:
        """Keep new recovery codes on the session until they are shown; None clears them."""
        ...


class StaffUnitOfWork(UnitOfWork, Protocol):
    staff: StaffRepository
    tokens: TokenRepository
    sessions: SessionRepository
    audit: AuditLog
