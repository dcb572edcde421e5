"""Errors of the staff capability. None of them says which half of a credential was wrong."""

from __future__ import annotations

from clientkeep.shared.errors import AuthenticationFailed, Conflict, InvalidInput, NotFound

__all__ = [
    "AccountLocked",
    "StaffNotFound",
    "TokenNotFound",
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


class AccountLocked(AuthenticationFailed):
    """Said only after the right password, so a guesser learns nothing from it."""

    code = "account_locked"

    def __init__(self) -> None:
        super().__init__("This account is locked after repeated failed sign-ins; try later.")
