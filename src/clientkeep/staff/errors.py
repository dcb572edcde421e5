"""Errors of the staff capability. None of them says which half of a credential was wrong."""

from __future__ import annotations

from clientkeep.shared.errors import Conflict, DomainError, InvalidInput, NotFound

# A locked account has no error of its own: it fails like a wrong password (see
# authentication.SIGN_IN_FAILED), so the lock can never confirm that a guess was right.

__all__ = [
    "StaffNotFound",
    "TokenNotFound",
    "TooManyFailedAttempts",
    "UsernameTaken",
    "WeakPassword",
]


class StaffNotFound(NotFound):
    code = "staff_not_found"

    def __init__(self) -> None:
        super().__init__("No staff member has that username.", field="username")


class TokenNotFound(NotFound):
    code = "token_not_found"

    def __init__(self) -> None:
        super().__init__("No active API token has that id.", field="token_id")


class UsernameTaken(Conflict):
    code = "username_taken"

    def __init__(self) -> None:
        super().__init__("That username is already in use.", field="username")


class WeakPassword(InvalidInput):
    def __init__(self, message: str) -> None:
        super().__init__([("password", message)])


class TooManyFailedAttempts(DomainError):
    """The client address failed to authenticate too often lately; it is refused, unchecked,
    for ``retry_after`` seconds. Says nothing about any account."""

    code = "too_many_failed_attempts"

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "Too many failed sign-ins or API tokens from your address; "
            f"try again in {retry_after} seconds."
        )
        self.retry_after = retry_after
