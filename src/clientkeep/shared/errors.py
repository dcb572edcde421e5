"""The root of every domain error.

Each edge (HTTP, web, CLI) maps these to its own form in one place. A domain error's message
must never contain a personal value: it names fields, not their contents.
"""

from __future__ import annotations

from datetime import datetime


class DomainError(Exception):
    """A rule of the domain said no."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    code = "not_found"


class Conflict(DomainError):
    code = "conflict"


class PermissionDenied(DomainError):
    code = "permission_denied"


class InvalidInput(DomainError):
    """Bad input; ``errors`` lists each (field, message) at fault."""

    code = "invalid_input"

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        if not errors:
            raise ValueError("InvalidInput needs at least one error")
        field, message = errors[0]
        super().__init__(message, field=field)
        self.errors = errors


class Locked(DomainError):
    """Refused for a while (too many failed attempts): it may be tried again at ``retry_at``."""

    code = "locked"

    def __init__(self, message: str, *, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class TooManyRequests(DomainError):
    """Refused because the same thing was asked too often lately (not a failure, a rate):
    it may be asked again at ``retry_at``."""

    code = "too_many_requests"

    def __init__(self, message: str, *, retry_at: datetime) -> None:
        super().__init__(message)
        self.retry_at = retry_at


class AuthenticationFailed(DomainError):
    """Deliberately vague: never says whether the name or the password was wrong."""

    code = "authentication_failed"
